// Builds the page from elements and text nodes only: names, reasons and file
// rows come from users and imports, so nothing is ever parsed as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export const link = (href, text, attrs = {}) => h("a", { href, ...attrs }, text);

let fieldCount = 0;

// A labelled input: every input has its own visible label.
export function field(label, attrs = {}, help) {
  const id = attrs.id || `f${++fieldCount}`;
  const tag = attrs.tag || "input";
  const { tag: _tag, options, value, ...rest } = attrs;
  let control;
  if (tag === "select") {
    control = h("select", { id, ...rest },
      (options || []).map(([v, text]) => h("option", { value: v, selected: String(v) === String(value ?? "") }, text)));
  } else if (tag === "textarea") {
    control = h("textarea", { id, ...rest }, value ?? "");
  } else {
    control = h("input", { id, ...rest });
    if (value !== undefined && value !== null) control.value = value;
  }
  const describedBy = help ? `${id}-help` : undefined;
  if (describedBy) control.setAttribute("aria-describedby", describedBy);
  return h("div", { class: rest.type === "checkbox" ? "field check" : "field" },
    h("label", { for: id }, label), control,
    help ? h("small", { id: describedBy }, help) : null);
}

export function table(caption, columns, rows, empty = "暂无记录") {
  if (!rows.length) return h("p", { class: "empty" }, `${caption}：${empty}`);
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h("table", {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, columns.map(([, title]) => h("th", { scope: "col" }, title)))),
      h("tbody", {}, rows.map((row) => h("tr", {},
        columns.map(([key, title]) => h("td", { "data-label": title },
          typeof key === "function" ? key(row) : row[key] ?? "—")))))));
}

export function figures(items) {
  return h("dl", { class: "figures" }, items.map(([label, value, key]) =>
    h("div", { class: "figure", "data-key": key }, h("dt", {}, label), h("dd", {}, value ?? "—"))));
}

export function notice(text, kind = "ok") {
  return h("p", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}
