// The menu's groups remember being opened or closed (per browser tab); without JavaScript
// the group of the current page is open and the others can be opened by hand.
(function () {
  var KEY = "gongxin.menu";
  function load() { try { return JSON.parse(sessionStorage.getItem(KEY)) || {}; } catch (e) { return {}; } }
  document.addEventListener("DOMContentLoaded", function () {
    var state = load();
    document.querySelectorAll("details.menu-group").forEach(function (d) {
      var key = d.dataset.group;
      if (key in state && !d.querySelector("a.active")) d.open = state[key];
      d.addEventListener("toggle", function () {
        var s = load(); s[key] = d.open;
        try { sessionStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* private mode */ }
      });
    });
  });
})();
