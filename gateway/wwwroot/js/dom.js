// @ts-check
// Small DOM helpers: elements by id, checked against the type the caller expects, and element building
// where text always goes in as text (never as HTML).

/**
 * The element with this id; `type` (HTMLInputElement, say) checks it is that kind of element.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{ new (): T, prototype: T }} [type]
 * @returns {T}
 */
export function $(id, type) {
  const node = document.getElementById(id);
  if (!node || (type && !(node instanceof type))) throw new Error(`The page has no ${type?.name ?? 'element'} #${id}.`);
  return /** @type {T} */ (node);
}

/** @typedef {Node | string | null | undefined} Child */

/**
 * Builds an element: `class` and `text` set the class name and text, `data-*` and `aria-*` become
 * attributes, anything else is set as a property (`hidden`, `htmlFor`, `value`…).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = String(value);
    else if (key === 'text') node.textContent = value === undefined || value === null ? '' : String(value);
    else if (key.startsWith('data-') || key.startsWith('aria-')) node.setAttribute(key, String(value));
    else Reflect.set(node, key, value);
  }
  node.append(.../** @type {(Node | string)[]} */ (children.filter(child => child !== null && child !== undefined)));
  return node;
}

/**
 * After a "show more" button's page has loaded, carries keyboard users on to the first item it added, unless
 * they have moved on meanwhile: focus moves only if it is still on that button, or was lost because the
 * button hid itself on the last page. (Two lists can load at once; the later one must not take focus back.)
 * @param {HTMLElement} more
 * @param {HTMLElement | null | undefined} target
 */
export function focusAfterMore(more, target) {
  const active = document.activeElement;
  if (active === more || active === null || active === document.body) target?.focus();
}
