/**
 * Our content files' format for the web editor (Sveltia CMS): Pelican's
 * `Key: value` header, a blank line, then the Markdown text.
 *
 *   CMS.registerCustomFormat('pelican-fields', 'md', { fromFile, toFile })
 *
 * An ES module with no dependencies (node runs it too: tests/admin/).
 *
 * Reading follows Python-Markdown's `meta` extension, which Pelican and our
 * reader (plugins/clinic/reader.py, locate_fields) use: an optional `---`
 * first line; then `Key: value` lines (up to three spaces before the key,
 * keys case-blind), a line indented four spaces or more continuing the
 * field above; the header ends at the first blank line (or a `---`/`...`
 * line), or at the first line that is neither, where the text begins.
 *
 * Writing changes only what the editor changed. What 0.221.1 does around
 * these two functions (src/lib/services/contents/file/parse.js, format.js,
 * draft/save/serialize.js, draft/create/normalize.js) decides the design:
 *   - fromFile gets the file trimmed, with its line ends turned into \n,
 *     and toFile's result is trimmed and given one final \n: through the
 *     editor a file comes out with \n line ends and one final newline
 *     (every file in content/ is written so; called directly, as the tests
 *     do, line ends and the file's ends are kept as they were);
 *   - every string value is trimmed before toFile (the text too);
 *   - toFile gets the configured fields in the configuration's order
 *     (web_editor.py writes them in the contract's order), absent ones
 *     filled with "" (or dropped, with omit_empty_optional_fields), then
 *     any other keys;
 *   - the names of the object's keys are the configuration's field names:
 *     the contract's keys, in lower case, as Pelican reads them.
 * So fromFile keeps the header as written (each line with its key's
 * spelling, its spacing and its line end, in file order) in one more
 * value, HEADER_KEY, which the configuration declares as a hidden field:
 * hidden, so the editor neither sees nor changes it; one JSON string, so
 * trimming cannot touch it. toFile writes that header back, line for line,
 * and rewrites only the lines whose value changed; an emptied field's lines
 * go, and a new field goes after the nearest field before it in the
 * object's order (the contract's, when the editor calls), or at the top.
 * Keeping the file's own order (not re-sorting by the contract) is what
 * makes an unchanged file come back byte for byte however it was written.
 * The text's leading and trailing whitespace, which the editor trims, is
 * kept in the header too and put back around the text.
 */

/** The hidden value holding the header as written (see above). */
export const HEADER_KEY = 'header_as_written';
/** The text after the header, as the configuration's body field names it. */
export const BODY_KEY = 'body';

// Python's str.strip() and `\s` (str.isspace): JavaScript's \s lacks
// U+001C–U+001F and U+0085, and has U+FEFF, which Python's lacks.
const SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const EDGE_SPACES = new RegExp(`^${SPACE}+|${SPACE}+$`, 'g');
// The `meta` extension's patterns (markdown/extensions/meta.py); Python's
// re.match anchors at the start only, and `.` there takes every character
// but \n (lines here hold none).
const META = new RegExp(`^( {0,3}([A-Za-z0-9_-]+):${SPACE}*)([^]*)$`);
const META_MORE = /^ {4,}([^]*)$/;
const BEGIN = /^-{3}/;
const END = /^(-{3}|\.{3})/;
const LINE = /[^\r\n]*(\r\n|\r|\n|$)/g;
const BYTE_ORDER_MARK = '\ufeff';
// How a new line is indented to continue the field above (META_MORE).
const CONTINUATION = '    ';

const pythonStrip = (text) => text.replace(EDGE_SPACES, '');

/** Python's str.expandtabs(4), which Python-Markdown applies before reading. */
const expandTabs = (text) => {
  let column = 0;
  let out = '';
  for (const char of text) {
    if (char === '\t') {
      const spaces = 4 - (column % 4);
      out += ' '.repeat(spaces);
      column += spaces;
    } else {
      out += char;
      column = char === '\n' || char === '\r' ? 0 : column + 1;
    }
  }
  return out;
};

/** [[text of the line, its line end], …]: the file's lines as written. */
const splitLines = (text) => {
  const lines = [];
  for (const [whole, end] of text.matchAll(LINE)) {
    if (!whole) break;
    lines.push([whole.slice(0, whole.length - end.length), end]);
  }
  return lines;
};

/** A field's value from its lines as written: what Pelican reads, its non-empty lines joined by \n. */
const valueOf = (rawLines) =>
  rawLines
    .map((raw, index) => {
      const line = expandTabs(raw.replace(/[\r\n]+$/, ''));
      return pythonStrip(index === 0 ? META.exec(line)[3] : META_MORE.exec(line)[1]);
    })
    .filter((part) => part !== '')
    .join('\n');

/**
 * The header's parts in file order: {begin: true, raw} for a `---` first
 * line, {raw} for the line that ends the header (blank, `---` or `...`),
 * {key, raw: [its lines]} for a field; and where the text begins.
 */
const readHeader = (lines) => {
  const parts = [];
  let index = 0;
  let field = null;
  if (lines.length && BEGIN.test(expandTabs(lines[0][0]))) {
    parts.push({ begin: true, raw: lines[0].join('') });
    index = 1;
  }
  for (; index < lines.length; index += 1) {
    const line = expandTabs(lines[index][0]);
    const raw = lines[index].join('');
    if (pythonStrip(line) === '' || END.test(line)) {
      parts.push({ raw });
      index += 1;
      break;
    }
    const meta = META.exec(line);
    if (meta) {
      field = { key: meta[2].toLowerCase(), raw: [raw] };
      parts.push(field);
    } else if (META_MORE.test(line) && field) {
      field.raw.push(raw);
    } else {
      break;
    }
  }
  return { parts, bodyStart: index };
};

const [LEADING_SPACE, TRAILING_SPACE] = [/^\s*/, /\s*$/];

/** Read a content file into {key: value, …, body, [HEADER_KEY]}. */
export const fromFile = (text) => {
  const bom = text.startsWith(BYTE_ORDER_MARK) ? BYTE_ORDER_MARK : '';
  const lines = splitLines(text.slice(bom.length));
  const { parts, bodyStart } = readHeader(lines);
  const body = lines.slice(bodyStart).map((line) => line.join('')).join('');
  const object = {};
  for (const part of parts) {
    if (part.key !== undefined && !(part.key in object)) {
      object[part.key] = valueOf(part.raw);
    }
  }
  // The text's whitespace at either end, which the editor trims (JavaScript's
  // trim, so `\s`); all of it in `lead` when the text is only whitespace.
  const lead = body.match(LEADING_SPACE)[0];
  const trail = lead === body ? '' : body.match(TRAILING_SPACE)[0];
  object[BODY_KEY] = body;
  object[HEADER_KEY] = JSON.stringify({ bom, parts, lead, trail });
  return object;
};

/** A value as the header writes it; '' when it is empty (the line then goes). */
const written = (value) => {
  if (value === undefined || value === null) return '';
  // Each line without the spaces around it, and no empty line (one would end the header).
  const lines = (text) =>
    String(text)
      .split(/\r\n|\r|\n/)
      .map(pythonStrip)
      .filter((line) => line !== '')
      .join('\n');
  // A list (Tags) is written comma-separated, as the contract reads it.
  return Array.isArray(value) ? value.map(lines).filter((item) => item !== '').join(', ') : lines(value);
};

/**
 * How a field new to the file is spelled: the contract writes every field's
 * name as its key with a capital first letter (Title, Review_due; a test in
 * tests/admin/test_editor_config.py holds the contract to it), and Pelican
 * reads keys case-blind whatever the spelling.
 */
const spelled = (key) => key.charAt(0).toUpperCase() + key.slice(1);

/** The lines of a field holding `value`; `prefix` is its start up to the value ("Title: "). */
const fieldLines = (prefix, value, end) => {
  const [first, ...more] = value
    .split('\n')
    .map(pythonStrip)
    .filter((line) => line !== '');
  return [prefix + first + end, ...more.map((line) => CONTINUATION + line + end)];
};

/** Write {key: value, …, body, [HEADER_KEY]} back as a content file. */
export const toFile = (object) => {
  const remembered = object[HEADER_KEY] ? JSON.parse(object[HEADER_KEY]) : null;
  const { bom = '', parts = [], lead = '', trail = '\n' } = remembered ?? {};
  const keys = Object.keys(object).filter((key) => key !== BODY_KEY && key !== HEADER_KEY);
  const fieldParts = parts.filter((part) => part.key !== undefined);
  // New lines end as the file's lines do (its first line end).
  const end = parts.flatMap((part) => part.raw).join('').match(/\r\n|\r|\n/)?.[0] ?? '\n';
  const newLines = (key) => fieldLines(`${spelled(key)}: `, written(object[key]), end);

  // Fields the file does not have yet, each after the nearest field before
  // it in the object's order that the file has (null: at the top).
  const inFile = new Set(fieldParts.map((part) => part.key));
  const added = new Map();
  let after = null;
  for (const key of keys) {
    if (inFile.has(key)) {
      after = key;
    } else if (written(object[key]) !== '') {
      added.set(after, [...(added.get(after) ?? []), key]);
    }
  }

  const header = [];
  const writtenKeys = new Set();
  let top = false; // whether the fields new at the top are written
  // A line written after the file's last line, which has no line end
  // (the editor trims the file), first ends that line.
  const push = (lines) => {
    if (header.length && !/[\r\n]$/.test(header.at(-1))) header.push(end);
    header.push(...lines);
  };
  const addAfter = (key) => (added.get(key) ?? []).forEach((each) => push(newLines(each)));
  for (const part of parts) {
    if (part.begin) {
      header.push(part.raw);
      continue;
    }
    if (!top) {
      addAfter(null);
      top = true;
    }
    if (part.key === undefined) {
      header.push(part.raw);
      continue;
    }
    const value = written(object[part.key]);
    const first = fieldParts.find((each) => each.key === part.key);
    if (writtenKeys.has(part.key)) {
      // A field given twice (the check refuses it): its later lines stay
      // while the value stands, and go with a new value.
      if (value === valueOf(first.raw)) header.push(...part.raw);
      continue;
    }
    writtenKeys.add(part.key);
    if (value === valueOf(part.raw)) {
      header.push(...part.raw);
    } else if (value !== '') {
      // Only this field's lines change: its spelling and spacing stay.
      const prefix = META.exec(part.raw[0].replace(/[\r\n]+$/, ''))[1];
      push(fieldLines(prefix, value, end));
    }
    addAfter(part.key);
  }
  if (!top) addAfter(null);

  const text = typeof object[BODY_KEY] === 'string' ? object[BODY_KEY] : '';
  const core = text.trim();
  let body = core === '' && remembered ? lead : lead + core + trail;
  if (!remembered) body = core === '' ? '' : core + '\n';
  // Fields new to a file that had none need a line ending them before its
  // text (a file whose text follows its fields directly stays so).
  const separated = parts.some((part) => part.key === undefined && !part.begin);
  const hasFields = keys.some((key) => written(object[key]) !== '');
  if (hasFields && fieldParts.length === 0 && body !== '' && !separated) header.push(end);
  return bom + header.join('') + body;
};

export default { fromFile, toFile };
