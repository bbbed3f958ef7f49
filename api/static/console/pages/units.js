// The work units' party organisations (单位党组织): listed, each linked to
// its double reports, and registered (administrators only).
import { get, post } from "../api.js";
import { field, h, link, notice, table } from "../dom.js";
import { submitter } from "./common.js";

export async function render(main, params) {
  const listed = await get("/v1/units", { limit: 100, cursor: params.get("cursor") });
  main.append(
    h("h1", {}, "单位党组织"),
    table("单位党组织", [
      ["name", "单位"],
      [(u) => link(`/console/units/${u.id}`, "双报到", { "aria-label": `${u.name} 双报到` }), "双报到"],
    ], listed.items, "还没有单位党组织"),
    listed.next_cursor ? link(`/console/units?${new URLSearchParams({ cursor: listed.next_cursor })}`, "下一页") : "",
    createSection(),
  );
}

function createSection() {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("单位党组织名称", { name: "name", required: true }),
    h("button", { type: "submit" }, "登记单位"));
  submitter(form, outlet, async (data) => {
    const added = await post("/v1/units", { name: data.get("name") });
    return h("p", { class: "notice ok", role: "status" }, `已登记“${added.name}”。`, " ",
      link(`/console/units/${added.id}`, "登记它的双报到"));
  });
  return h("section", { class: "card" }, h("h2", {}, "登记单位党组织"), form, outlet);
}
