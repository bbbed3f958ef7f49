// Finds a community's members by name or phone and hands the chosen one on.
import { get } from "../api.js";
import { field, h, notice } from "../dom.js";

export function memberSearch(communityId, label, onPick, pickText = "选择") {
  const results = h("ul", { class: "picked", "aria-live": "polite" });
  const form = h("form", { class: "inline", role: "search" },
    field(label, { name: "q", type: "search", required: true, placeholder: "姓名或手机号" }),
    h("button", { type: "submit", class: "secondary" }, "查找"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = new FormData(form).get("q").trim();
    const found = await get(`/v1/communities/${communityId}/members`, { q, limit: 20 });
    results.replaceChildren();
    if (!found.items.length) results.append(h("li", {}, notice(`没有找到“${q}”。`, "error")));
    for (const member of found.items) {
      const button = h("button", { type: "button", class: "secondary" }, pickText);
      button.addEventListener("click", () => onPick(member, button));
      results.append(h("li", {}, h("span", {}, member.name), h("span", { class: "muted" }, member.phone || ""), button));
    }
  });
  return h("div", { class: "search" }, form, results);
}
