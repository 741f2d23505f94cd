/// <reference types="vite/client" />
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import type { ArgTypesEnhancer } from 'storybook/internal/types';

// Docs (attributes, events, parts, CSS properties, slots) come from custom-elements.json, which
// `npm run storybook` / `npm run build-storybook` generate first. A glob, not an import, so the
// project still type-checks before the manifest exists.
const [manifest] = Object.values(import.meta.glob('../custom-elements.json', { eager: true, import: 'default' }));
if (manifest) setCustomElementsManifest(manifest);

/**
 * The manifest's events, parts, CSS properties and slots are documentation, not inputs: without
 * this each would get a dead JSON control. Only attributes and properties stay editable.
 */
const documentationOnly: ArgTypesEnhancer = ({ argTypes }) =>
  Object.fromEntries(
    Object.entries(argTypes).map(([name, argType]) => {
      const category = argType.table?.category;
      return [name, category && category !== 'attributes' && category !== 'properties' ? { ...argType, control: false } : argType];
    }),
  );

const preview: Preview = {
  tags: ['autodocs'],
  argTypesEnhancers: [documentationOnly],
  argTypes: {
    theme: { control: 'radio', options: ['light', 'dark'], description: 'Forces a colour scheme; unset follows `prefers-color-scheme`.' },
    lang: { control: 'select', options: ['en', 'ko'], description: 'The element’s language; unset follows the page.' },
    // The analyzer types `api` as `string | undefined`, which Storybook would edit as JSON.
    api: { control: 'text' },
  },
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    a11y: { test: 'error' },
  },
};

export default preview;
