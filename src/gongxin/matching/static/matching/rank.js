/* Drag-to-order for the two-way selection ranking pages (no library). The page works without
   it: the order lives in the hidden inputs inside each <li>, so reordering the <li>s reorders
   what "保存排序" posts. Pointer events, so a finger on the ☰ handle works on a phone. */
(function () {
  "use strict";
  function renumber(list) {
    var items = list.querySelectorAll(".rank-item");
    items.forEach(function (li, i) {
      var pos = li.querySelector(".rank-pos");
      if (pos) pos.textContent = String(i + 1);
      li.querySelectorAll("button[value^='up:']").forEach(function (b) { b.disabled = i === 0; });
      li.querySelectorAll("button[value^='down:']").forEach(function (b) { b.disabled = i === items.length - 1; });
    });
  }
  function init(list) {
    var dragging = null;
    list.addEventListener("pointerdown", function (e) {
      var handle = e.target.closest(".rank-handle");
      if (!handle) return;
      dragging = handle.closest(".rank-item");
      dragging.classList.add("dragging");
      handle.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    list.addEventListener("pointermove", function (e) {
      if (!dragging) return;
      var over = document.elementFromPoint(e.clientX, e.clientY);
      var target = over && over.closest(".rank-item");
      if (!target || target === dragging || target.parentNode !== list) return;
      var box = target.getBoundingClientRect();
      list.insertBefore(dragging, e.clientY < box.top + box.height / 2 ? target : target.nextSibling);
      renumber(list);
    });
    function stop() {
      if (!dragging) return;
      dragging.classList.remove("dragging");
      dragging = null;
      var form = list.closest("form");
      if (form && !document.querySelector(".rank-unsaved")) {
        var note = document.createElement("p");
        note.className = "error rank-unsaved";
        note.setAttribute("role", "status");
        note.textContent = list.getAttribute("data-unsaved") || "";
        if (note.textContent) form.insertBefore(note, form.firstChild);
      }
    }
    list.addEventListener("pointerup", stop);
    list.addEventListener("pointercancel", stop);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rank-list]").forEach(init);
  });
})();
