// memo-press drives the system's Chromium (see scripts/ensure.mjs and
// pipeline/render/browser.ts); puppeteer must not try to download its own browser.
module.exports = { skipDownload: true };
