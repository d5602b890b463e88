// The package's additions to Datasette's pages (make serve): every form control gets the name a
// screen reader reads out (also those an editor adds later), and every region that scrolls can be
// reached with the keyboard.
const NAMES = {
  _filter_column: "Filter on column", _filter_op: "Filter operation", _filter_value: "Filter value",
  _sort: "Sort by column", _sort_by_desc: "Sort descending", _facet: "Facet by column", sql: "SQL query",
};

function nameControls(root) {
  root.querySelectorAll("select, input, textarea").forEach((control) => {
    if (["hidden", "submit", "button", "reset"].includes(control.type)) return;
    if (control.labels?.length || control.getAttribute("aria-label")) return;
    const key = (control.name || "").replace(/_\d+$/, "");
    const name = NAMES[key] || (control.classList.contains("filter-value") ? NAMES._filter_value : "")
      || (control.closest(".CodeMirror") ? NAMES.sql : "")
      || control.placeholder || (control.name || control.type).replace(/_/g, " ").trim();
    control.setAttribute("aria-label", name);
  });
  root.querySelectorAll(".table-wrapper").forEach((region) => {
    if (region.scrollWidth > region.clientWidth && !region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", "Table, scrolls sideways");
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  nameControls(document);
  new MutationObserver(() => nameControls(document)).observe(document.body, { childList: true, subtree: true });
});
