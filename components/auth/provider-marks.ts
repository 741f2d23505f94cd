import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

/**
 * Small drawings of each provider's mark, inline so the kit loads no images. Named for
 * assistive technology (`role="img"`), since a mark is how many people spot their provider.
 */
// `svg`, not `html`: the shapes are parsed apart from their <svg>, and must be SVG elements.
const marks: Record<string, SVGTemplateResult> = {
  github: svg`<path fill="#24292f" d="M12 1a11 11 0 1 0 0 22 11 11 0 0 0 0-22Z" />
    <path fill="#fff" d="M8 18.5v-5.7c0-1 .3-1.9.9-2.6l-.3-3.4 2.6 1.4a7 7 0 0 1 1.6-.2c.6 0 1.1.1 1.6.2l2.6-1.4-.3 3.4c.6.7.9 1.6.9 2.6v5.7c-1.2.6-3 .9-4.8.9s-3.6-.3-4.8-.9Z" />
    <circle fill="#24292f" cx="10.3" cy="13.6" r="1" /><circle fill="#24292f" cx="13.7" cy="13.6" r="1" />`,
  google: svg`<g fill="none" stroke-width="3.4">
    <path stroke="#ea4335" d="M5.5 8.25A7.5 7.5 0 0 1 17.3 6.7" />
    <path stroke="#fbbc05" d="M5.5 15.75A7.5 7.5 0 0 1 5.5 8.25" />
    <path stroke="#34a853" d="M17.3 17.3A7.5 7.5 0 0 1 5.5 15.75" />
    <path stroke="#4285f4" d="M12 12h7.5a7.5 7.5 0 0 1-2.2 5.3" />
  </g>`,
  oidc: svg`<g fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4M10 16l4-4-4-4M14 12H4" />
  </g>`,
};

export function providerMark(id: string, name: string, label: (name: string) => string): TemplateResult {
  return html`<svg class="icon provider-mark" viewBox="0 0 24 24" role="img" aria-label=${label(name)} focusable="false">${marks[id] ?? marks.oidc}</svg>`;
}
