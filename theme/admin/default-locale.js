// Sveltia's interface follows the browser's language unless the editor
// chose one in its settings (the `locale` of its stored preferences in
// localStorage, 'auto' by default; 0.221.1 has no configuration option for
// it). Sveltia reads them as soon as its module runs, so this module is
// imported before it (ES modules run in the order they are imported).
// Our editors work in Ukrainian, so on an editor's first visit the
// preference is set to Ukrainian once; whatever the editor chooses in the
// settings afterwards ("Automatic" included) is kept.
const PREFERENCES = 'sveltia-cms.prefs';
const DEFAULT_LOCALE = 'uk';
const DEFAULTED = 'clinic.editor-locale-defaulted';
try {
  if (!localStorage.getItem(DEFAULTED)) {
    const stored = JSON.parse(localStorage.getItem(PREFERENCES) ?? '{}') ?? {};
    localStorage.setItem(PREFERENCES, JSON.stringify({ ...stored, locale: DEFAULT_LOCALE }));
    localStorage.setItem(DEFAULTED, '1');
  }
} catch {
  // Storage refused or unreadable: the interface follows the browser.
}
