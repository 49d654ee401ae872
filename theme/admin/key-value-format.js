// PLACEHOLDER, to be replaced by the h/config branch's format (the real
// one wins at merge): Pelican's `Key: value` header, a blank line, then
// the Markdown body, as { fromFile(text) -> object, toFile(object) -> string }.
// Enough for the admin page to load and save; it makes no promise of a
// byte-for-byte round trip.
const FIELD = /^([A-Za-z][A-Za-z_]*):[ \t]?(.*)$/;

export default {
  fromFile(text) {
    const lines = text.replace(/\r\n/g, '\n').split('\n');
    const fields = {};
    let index = 0;
    for (; index < lines.length; index += 1) {
      const match = lines[index].match(FIELD);
      if (!match) break;
      fields[match[1].toLowerCase()] = match[2];
    }
    if (lines[index] === '') index += 1;
    return { ...fields, body: lines.slice(index).join('\n') };
  },
  toFile(data) {
    const { body = '', ...fields } = data;
    const header = Object.entries(fields)
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([name, value]) => `${name.charAt(0).toUpperCase()}${name.slice(1)}: ${value}`);
    return `${header.join('\n')}\n\n${body}`;
  },
};
