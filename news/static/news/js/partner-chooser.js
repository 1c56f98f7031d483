// The grant row's partners (news/widgets.py): "Add partner organisations" opens Wagtail's
// partner chooser in its several-at-once mode; each chosen partner becomes a selected option
// of the hidden <select multiple> and a list item with a remove button. Event delegation, so
// rows added to the inline panel after the page loaded work too.
(() => {
  function addPartner(root, id, label) {
    const select = root.querySelector("select");
    const value = String(id);
    if ([...select.options].some((option) => option.value === value)) return;
    select.add(new Option(label, value, true, true));
    const item = document.createElement("li");
    item.dataset.value = value;
    item.style.cssText = "display:flex;gap:.75rem;align-items:center;margin-bottom:.35rem";
    const text = document.createElement("span");
    text.textContent = label;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button-small button-secondary";
    remove.dataset.partnerChooserRemove = "";
    remove.textContent = root.dataset.removeLabel;
    remove.setAttribute("aria-label", `${root.dataset.removeLabel}: ${label}`);
    item.append(text, " ", remove);
    root.querySelector("[data-partner-chooser-list]").append(item);
  }

  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-partner-chooser-add]");
    if (add) {
      const root = add.closest("[data-partner-chooser]");
      const factory = window.telepath.unpack(JSON.parse(root.dataset.factory));
      factory.openModal(
        (chosen) => {
          for (const partner of [].concat(chosen)) {
            addPartner(root, partner.id, partner.string || partner.title || String(partner.id));
          }
        },
        { multiple: true },
      );
      return;
    }
    const remove = event.target.closest("[data-partner-chooser-remove]");
    if (remove) {
      const root = remove.closest("[data-partner-chooser]");
      const item = remove.closest("li");
      const option = [...root.querySelector("select").options].find(
        (candidate) => candidate.value === item.dataset.value,
      );
      if (option) option.remove();
      item.remove();
    }
  });
})();
