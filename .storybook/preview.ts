/// <reference types="vite/client" />
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';

// Docs (attributes, events, parts, CSS properties, slots) come from custom-elements.json, which
// `npm run storybook` / `npm run build-storybook` generate first. A glob, not an import, so the
// project still type-checks before the manifest exists.
const [manifest] = Object.values(import.meta.glob('../custom-elements.json', { eager: true, import: 'default' }));
if (manifest) setCustomElementsManifest(manifest);

const preview: Preview = {
  tags: ['autodocs'],
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    a11y: { test: 'error' },
  },
};

export default preview;
