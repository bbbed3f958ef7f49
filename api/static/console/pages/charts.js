// Charts drawn with the bundled ECharts, loaded on first use.
import { h } from "../dom.js";

let charts;

function loadCharts() {
  charts ||= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/static/vendor/echarts/echarts.min.js";
    script.onload = () => resolve(window.echarts);
    script.onerror = () => reject(new Error("图表组件加载失败"));
    document.head.append(script);
  });
  return charts;
}

export async function chart(container, option) {
  const echarts = await loadCharts();
  const drawn = echarts.init(container, null, { renderer: "canvas" });
  drawn.setOption({ grid: { left: 48, right: 16, top: 24, bottom: 56, containLabel: true }, tooltip: { trigger: "axis" }, ...option });
  new ResizeObserver(() => drawn.resize()).observe(container);
}

export function bars(title, labels, values, color) {
  const box = h("div", { class: "chart", role: "img", "aria-label": title });
  const section = h("section", { class: "card" }, h("h2", {}, title), box);
  chart(box, {
    xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 40 : 0 } },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: values, itemStyle: { color } }],
  });
  return section;
}

// Bars of two series side by side: what is, and what would be.
export function pairedBars(title, labels, series) {
  const box = h("div", { class: "chart", role: "img", "aria-label": title });
  const section = h("section", { class: "card" }, h("h2", {}, title), box);
  chart(box, {
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 56, containLabel: true },
    xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 40 : 0 } },
    yAxis: { type: "value" },
    series: series.map(([name, values, color]) => ({ name, type: "bar", data: values, itemStyle: { color } })),
  });
  return section;
}
