// @ts-check
// A small Markdown subset rendered as DOM nodes built with textContent: untrusted text never becomes HTML.

/**
 * @param {unknown} source
 * @returns {DocumentFragment}
 */
export function render(source) {
  const fragment = document.createDocumentFragment();
  const lines = String(source ?? '').replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const fence = line.match(/^\s*```\s*([\w+-]*)\s*$/);
    if (fence) {
      const code = [];
      i++;
      while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) code.push(lines[i++]);
      i++;
      const pre = document.createElement('pre');
      const element = document.createElement('code');
      if (fence[1]) element.dataset.language = fence[1];
      element.textContent = code.join('\n');
      pre.append(element);
      fragment.append(pre);
      continue;
    }
    if (!line.trim()) { i++; continue; }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    if (heading) {
      // Headings in a chat reply stay small: h4..h6 keeps the page outline intact.
      const element = document.createElement(`h${Math.min(6, heading[1].length + 3)}`);
      element.append(inline(heading[2]));
      fragment.append(element);
      i++;
      continue;
    }
    const listKind = listItem(line);
    if (listKind) {
      const list = document.createElement(listKind.ordered ? 'ol' : 'ul');
      while (i < lines.length) {
        const item = listItem(lines[i]);
        if (!item || item.ordered !== listKind.ordered) break;
        const li = document.createElement('li');
        li.append(inline(item.text));
        list.append(li);
        i++;
      }
      fragment.append(list);
      continue;
    }
    const paragraph = [];
    while (i < lines.length && lines[i].trim() && !listItem(lines[i]) && !/^\s*```/.test(lines[i]) && !/^#{1,6}\s/.test(lines[i])) {
      paragraph.push(lines[i++]);
    }
    const p = document.createElement('p');
    paragraph.forEach((text, index) => {
      if (index) p.append(document.createElement('br'));
      p.append(inline(text));
    });
    fragment.append(p);
  }
  return fragment;
}

/**
 * @param {string} line
 * @returns {{ ordered: boolean, text: string } | null}
 */
function listItem(line) {
  const bullet = line.match(/^\s*[-*+]\s+(.*)$/);
  if (bullet) return { ordered: false, text: bullet[1] };
  const number = line.match(/^\s*\d+[.)]\s+(.*)$/);
  return number ? { ordered: true, text: number[1] } : null;
}

// Underscore emphasis only at word edges, so identifiers such as create_pull_request stay as typed.
const inlinePattern = /`([^`]+)`|\*\*([^*]+)\*\*|(?<!\w)__([^_]+)__(?!\w)|\*([^*\s][^*]*)\*|(?<!\w)_([^_\s][^_]*)_(?!\w)|\[([^\]]+)\]\(([^)\s]+)\)/;

/**
 * @param {string} text
 * @returns {DocumentFragment}
 */
function inline(text) {
  const fragment = document.createDocumentFragment();
  let rest = text;
  while (rest) {
    const match = rest.match(inlinePattern);
    if (!match) { fragment.append(document.createTextNode(rest)); break; }
    const at = match.index ?? 0;
    if (at) fragment.append(document.createTextNode(rest.slice(0, at)));
    const [whole, code, bold1, bold2, italic1, italic2, label, href] = match;
    if (code !== undefined) {
      const element = document.createElement('code');
      element.textContent = code;
      fragment.append(element);
    } else if (bold1 !== undefined || bold2 !== undefined) {
      const element = document.createElement('strong');
      element.append(inline(bold1 ?? bold2));
      fragment.append(element);
    } else if (italic1 !== undefined || italic2 !== undefined) {
      const element = document.createElement('em');
      element.append(inline(italic1 ?? italic2));
      fragment.append(element);
    } else if (label !== undefined) {
      fragment.append(link(label, href, whole));
    }
    rest = rest.slice(at + whole.length);
  }
  return fragment;
}

/**
 * @param {string} label
 * @param {string} href
 * @param {string} whole The Markdown as typed, shown as text when the link is not http(s).
 */
function link(label, href, whole) {
  /** @type {URL | null} */
  let url;
  try { url = new URL(href); } catch { url = null; }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return document.createTextNode(whole);
  const anchor = document.createElement('a');
  anchor.href = url.href;
  anchor.rel = 'noopener noreferrer nofollow';
  anchor.target = '_blank';
  anchor.textContent = label;
  return anchor;
}
