// A failed assertion about a DOM node (e.g. `expect(el.querySelector('form')).to.equal(null)`)
// carries the node as `actual`; @web/test-runner then serializes the whole DOM from it and the
// browser disconnects with no useful message. Replace nodes by their markup before reporting.
function printable(value: unknown): unknown {
  if (value instanceof Element) return value.outerHTML.slice(0, 500);
  if (value instanceof Node) return `[${value.nodeName}]`;
  return value;
}

afterEach(function () {
  const error = this.currentTest?.err as { actual?: unknown; expected?: unknown } | undefined;
  if (!error || typeof error !== 'object') return;
  error.actual = printable(error.actual);
  error.expected = printable(error.expected);
});
