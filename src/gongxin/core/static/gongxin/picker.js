// Pickers: clicking a result fills the hidden value and the search box, instead of following
// the link (which, without JavaScript, is the search-then-choose page's own answer). A picker
// of several (data-multiple) adds the result to its list of checked boxes instead.
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest(".picker a.pick");
  if (!a) return;
  e.preventDefault();
  var box = a.closest(".picker");
  var search = box.querySelector("input[type=search]");
  box.querySelector(".picker-results").innerHTML = "";
  if (box.hasAttribute("data-multiple")) {
    var list = box.querySelector(".picker-chosen-list");
    var name = box.dataset.picker;
    if (!list.querySelector("input[value='" + a.dataset.pick + "']")) {
      var li = document.createElement("li"), label = document.createElement("label"), input = document.createElement("input");
      input.type = "checkbox"; input.name = name; input.value = a.dataset.pick; input.checked = true;
      label.appendChild(input); label.appendChild(document.createTextNode(" " + a.dataset.label));
      li.appendChild(label); list.appendChild(li);
    }
    search.value = "";
    search.focus();
    return;
  }
  box.querySelector(".picker-value").value = a.dataset.pick;
  search.value = a.dataset.label;
  var chosen = box.querySelector(".picker-chosen");
  if (!chosen) { chosen = document.createElement("small"); chosen.className = "picker-chosen"; box.insertBefore(chosen, box.querySelector(".picker-results")); }
  chosen.textContent = a.textContent.replace(/\s+/g, " ").trim();
});
document.addEventListener("input", function (e) {
  // typing again clears the previous choice (a picker of several keeps its checked boxes)
  var box = e.target.closest && e.target.closest(".picker");
  var value = box && box.querySelector(".picker-value");
  if (value && e.target.type === "search") value.value = "";
});
