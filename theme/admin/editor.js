// The web editor at /admin/: Sveltia CMS, bundled into the site at build
// time (plugins/clinic/web_editor_bundle.py). Its configuration is
// admin/config.yml beside the page, written by the build from the content
// contract; the files it reads and writes keep our `Key: value` fields
// through the custom format below.
// First: it must run before Sveltia's module reads its preferences.
import './default-locale.js';
import CMS from '@sveltia/cms';
import format from './key-value-format.js';

CMS.registerCustomFormat('pelican-fields', 'md', format);
CMS.init();
