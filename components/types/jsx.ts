import type { PersoEventMap, PersoEventName } from '../base/events.js';

/**
 * JSX typings for the kit's tags, for React 19 and Preact (both set known properties on custom
 * elements and turn `on<event-name>` props into listeners). `Base` is your framework's own
 * attributes for any HTML element (`key`, `ref`, `class`, `children`…). Put this in a `.d.ts`:
 *
 * ```ts
 * import type { PersoIntrinsicElements } from '@perso/kit/jsx';
 * // React 19
 * declare module 'react' {
 *   namespace JSX {
 *     interface IntrinsicElements extends PersoIntrinsicElements<React.HTMLAttributes<HTMLElement> & React.RefAttributes<HTMLElement>> {}
 *   }
 * }
 * // Preact
 * declare module 'preact' {
 *   namespace JSX {
 *     interface IntrinsicElements extends PersoIntrinsicElements<HTMLAttributes<HTMLElement>> {}
 *   }
 * }
 * ```
 */
export type PersoIntrinsicElements<Base = unknown> = {
  'perso-signup': Base & PersoSignupProps;
  'perso-signin': Base & PersoSigninProps;
  'perso-api-keys': Base & PersoApiKeysProps;
  'perso-passkeys': Base & PersoPasskeysProps;
};

/** `onperso-signed-in={(event) => …}`: the event typed as the element dispatches it. */
export type PersoEventProps<E extends PersoEventName> = {
  [K in E as `on${K}`]?: (event: PersoEventMap[K]) => void;
};

export interface PersoElementProps {
  /** Base URL of the Perso server; defaults to the page's origin. */
  api?: string;
  /** Organization id; defaults to `default`. */
  organization?: string;
  /** Forces a colour scheme; without it the element follows `prefers-color-scheme`. */
  theme?: 'light' | 'dark';
}

export interface PersoSignupProps extends PersoElementProps, PersoEventProps<'perso-signed-up' | 'perso-signed-in' | 'perso-signed-out' | 'perso-error'> {
  /** Where the verification link leads once the email is verified. */
  redirect?: string;
}

export interface PersoSigninProps extends PersoElementProps, PersoEventProps<'perso-signed-in' | 'perso-signed-out' | 'perso-error'> {}

export interface PersoApiKeysProps extends PersoElementProps, PersoEventProps<'perso-key-created' | 'perso-key-deleted' | 'perso-signed-out' | 'perso-error'> {}

export interface PersoPasskeysProps extends PersoElementProps, PersoEventProps<'perso-passkey-added' | 'perso-passkey-removed' | 'perso-error'> {}
