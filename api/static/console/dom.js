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

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Whether a text is a real day written YYYY-MM-DD.
export function isDay(text) {
  const found = DATE.exec(text);
  if (!found) return false;
  const [, y, m, d] = found.map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

// A date is typed as YYYY-MM-DD in a text box, whatever the browser's
// locale would make of a date picker; a day that does not exist, or one
// outside min and max, is refused before the form is sent.
function dateControl(rest) {
  const { min, max, type: _type, ...others } = rest;
  const control = h("input", { ...others, type: "text", inputmode: "numeric", autocomplete: "off",
    pattern: "\\d{4}-\\d{2}-\\d{2}", placeholder: "YYYY-MM-DD", maxlength: 10, "data-min": min, "data-max": max });
  control.addEventListener("input", () => {
    const text = control.value.trim();
    let problem = "";
    if (text && !isDay(text)) problem = "请按 YYYY-MM-DD 填写日期，例如 2026-03-01";
    else if (text && min && text < min) problem = `日期不能早于 ${min}`;
    else if (text && max && text > max) problem = `日期不能晚于 ${max}`;
    control.setCustomValidity(problem);
  });
  return control;
}

// A labelled input: every input has its own visible label. A date
// (type "date") is a text box for YYYY-MM-DD.
export function field(label, attrs = {}, help) {
  const id = attrs.id || `f${++fieldCount}`;
  const tag = attrs.tag || "input";
  const { tag: _tag, options, value, ...rest } = attrs;
  if (tag === "input" && rest.type === "date" && help === undefined) help = "格式：YYYY-MM-DD";
  let control;
  if (tag === "select") {
    control = h("select", { id, ...rest },
      (options || []).map(([v, text]) => h("option", { value: v, selected: String(v) === String(value ?? "") }, text)));
  } else if (tag === "textarea") {
    control = h("textarea", { id, ...rest }, value ?? "");
  } else {
    control = rest.type === "date" ? dateControl({ id, ...rest }) : h("input", { id, ...rest });
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
