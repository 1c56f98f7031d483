// wagtail-localize's translation editor titles its segments "<source> to <target> translation",
// written into its script without gettext (wagtail-localize 1.14, TranslationEditor/index.tsx):
// "svenska to engelska translation" in the Swedish admin. This puts that heading through the
// admin's JavaScript catalogue (cms/locale/sv/LC_MESSAGES/djangojs.po): "Översättning från
// svenska till engelska". The editor is a React app that draws itself after the page has
// loaded and again as tabs are opened, so headings are relabelled as they appear; React
// leaves a heading alone once drawn, as its title never changes. Added to the admin's editors
// by cms/wagtail_hooks.py; on any other editor it does nothing. The dates under each segment
// are Django's (cms/localize_compat.py).
(function () {
  "use strict";
  const editor = document.querySelector(".js-translation-editor[data-props]");
  if (!editor || typeof window.gettext !== "function") return;
  const props = JSON.parse(editor.dataset.props);
  const names = { source: props.sourceLocale.displayName, target: props.locale.displayName };
  const upstream = `${names.source} to ${names.target} translation`;
  const heading = window.interpolate(
    window.gettext("%(source)s to %(target)s translation"),
    names,
    true,
  );
  if (heading === upstream) return;

  function relabel() {
    for (const title of editor.querySelectorAll("section h3")) {
      if (title.textContent === upstream) title.textContent = heading;
    }
  }

  new MutationObserver(relabel).observe(editor, { childList: true, subtree: true });
  relabel();
})();
