// Drives the web page in Debian's headless chromium for tests/integration/test_web_page.py.
// Usage: node drive.mjs URL SCREENSHOT_DIR. Reads one JSON command a line on stdin, answers one
// JSON line on stdout; every wait has a deadline and fails the command, never a fixed sleep.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const [url, shots] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "ww-chromium-"));
const browser = await puppeteer.launch({
  executablePath: process.env.WW_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", `--user-data-dir=${profile}`],
});
const page = await browser.newPage();
const consoleErrors = [];
const failedResponses = [];  // answers >= 400, as "METHOD path status" (seen apart from script errors)
page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text()); });
page.on("response", (r) => { if (r.status() >= 400) failedResponses.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`); });
page.on("pageerror", (e) => consoleErrors.push(String(e)));
await page.setViewport({ width: 1100, height: 900 });
await page.goto(url, { waitUntil: "load" });
await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });

const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const cards = () => page.$$eval("#alerts article", (as) => as.map((a) => ({
  seq: Number(a.dataset.seq), title: a.querySelector("h2").textContent, watchlist: a.dataset.watchlist,
  feed: a.dataset.feed, hidden: a.hidden, href: a.querySelector("h2 a")?.getAttribute("href") ?? null,
  marks: [...a.querySelectorAll(".snippet mark")].map((m) => m.textContent),
  time: a.querySelector("time").textContent, datetime: a.querySelector("time").dateTime,
  updates: [...a.querySelectorAll(".updates li")].map((l) => l.textContent),
})));

const commands = {
  async state() { return { cards: await cards(), errors: consoleErrors, failed: failedResponses }; },
  // Waits until an alert card with this exact title is in the DOM (it came by polling).
  async wait_alert({ title }) {
    await page.waitForFunction((t) => [...document.querySelectorAll("#alerts article h2")].some((h) => h.textContent === t),
                               { timeout: 30000 }, title);
    return { cards: await cards() };
  },
  // Waits until the card titled `title` lists `count` story updates.
  async wait_updates({ title, count }) {
    await page.waitForFunction((t, n) => [...document.querySelectorAll("#alerts article")].some(
      (a) => a.querySelector("h2").textContent === t && a.querySelectorAll(".updates li").length >= n),
      { timeout: 30000 }, title, count);
    return { cards: await cards() };
  },
  async filter({ watchlist = "", feed = "" }) {
    await page.select("#filter-watchlist", watchlist);
    await page.select("#filter-feed", feed);
    return { cards: await cards() };
  },
  async tab({ name, rows }) {
    await page.click(`nav button[data-tab=${name}]`);
    await page.waitForFunction((n, k) => document.querySelectorAll(`#${n} tr`).length >= k, { timeout: 15000 }, name, rows);
    return { rows: await page.$$eval(`#${name} tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent))) };
  },
  // Runs a backtest from the workbench and waits for its answer (results or an error).
  async backtest({ query }) {
    await page.click("nav button[data-tab=workbench]");
    await page.$eval("#bt-query", (i, q) => { i.value = q; }, query);
    await page.$eval("#bt-summary", (p) => { p.textContent = ""; });
    await page.click("#bt-form button[type=submit]");
    await page.waitForFunction(() => { const t = document.querySelector("#bt-summary").textContent; return t && t !== "running…"; },
                               { timeout: 30000 });
    return {
      summary: await page.$eval("#bt-summary", (p) => p.textContent),
      error: await page.$eval("#bt-summary", (p) => p.classList.contains("error")),
      results: await page.$$eval("#bt-results article", (as) => as.map((a) => ({
        title: a.querySelector("h2").textContent,
        marks: [...a.querySelectorAll(".snippet mark")].map((m) => m.textContent),
        updates: [...a.querySelectorAll(".updates li")].map((l) => l.textContent) }))),
    };
  },
  async screenshot({ name, width, height }) {
    if (width) await page.setViewport({ width, height, isMobile: true, hasTouch: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.screenshot({ path: join(shots, name), fullPage: true });
    return { overflow };
  },
};

const lines = createInterface({ input: process.stdin });
say({ ok: true, ready: true, cards: await cards() });
for await (const line of lines) {
  const cmd = JSON.parse(line);
  if (cmd.cmd === "quit") break;
  try {
    say({ ok: true, ...(await commands[cmd.cmd](cmd)) });
  } catch (e) {
    await page.screenshot({ path: join(shots, `failed-${cmd.cmd}.png`), fullPage: true }).catch(() => {});
    say({ ok: false, error: String(e), cards: await cards().catch(() => []) });
  }
}
await browser.close();
rmSync(profile, { recursive: true, force: true });
