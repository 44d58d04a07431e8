import { renderUserData } from './bootstrap';
import type { UserDataRenderer } from './bootstrap-contract';

/** The renderer a `CellStack` uses when its config names none: the node bootstrap of `./bootstrap`. */
export const defaultUserDataRenderer: UserDataRenderer = renderUserData;
