// Pickers: clicking a result fills the hidden value and the search box, instead of following
// the link (which, without JavaScript, is the search-then-choose page's own answer).
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest(".picker a.pick");
  if (!a) return;
  e.preventDefault();
  var box = a.closest(".picker");
  box.querySelector(".picker-value").value = a.dataset.pick;
  box.querySelector("input[type=search]").value = a.dataset.label;
  box.querySelector(".picker-results").innerHTML = "";
  var chosen = box.querySelector(".picker-chosen");
  if (!chosen) { chosen = document.createElement("small"); chosen.className = "picker-chosen"; box.insertBefore(chosen, box.querySelector(".picker-results")); }
  chosen.textContent = a.textContent.replace(/\s+/g, " ").trim();
});
document.addEventListener("input", function (e) {
  // typing again clears the previous choice
  var box = e.target.closest && e.target.closest(".picker");
  if (box && e.target.type === "search") box.querySelector(".picker-value").value = "";
});
