/**
 * custom-elements.json, generated from the elements' JSDoc (@summary, @event, @slot, @csspart,
 * @cssproperty) and their Lit properties. It is a build output (gitignored): `npm run build`,
 * `npm run storybook` and `npm run build-storybook` write it first.
 */
export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/**/*.test.ts', 'components/types/**'],
  outdir: '.',
  litelement: true,
  // package.json already names the manifest in `customElements`; don't let the analyzer rewrite it.
  packagejson: false,
  plugins: [publicApiOnly()],
};

/**
 * Keeps the manifest to what users of an element can touch: no private or protected members,
 * and not the phantom event named `type` that the analyzer reads from `emit(type, …)`'s own
 * `dispatchEvent` (the real events are the JSDoc `@event`s).
 */
function publicApiOnly() {
  return {
    name: 'perso-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.members) {
            declaration.members = declaration.members.filter(
              (member) => !member.privacy || member.privacy === 'public',
            ).filter((member) => !member.name.startsWith('#'));
          }
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name !== 'type');
        }
      }
    },
  };
}
