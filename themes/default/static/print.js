// The print button of a plan page: shown only when this script runs (without JavaScript it
// could do nothing), and wired here rather than by an inline onclick, which a strict
// Content-Security-Policy blocks.
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
