import type { EntityManager } from '@mikro-orm/postgresql';
import { translateError } from '../errors.js';

/** Flushes the unit of work, turning constraint errors into the data layer's typed errors. */
export async function flushTranslated(em: EntityManager): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    throw translateError(error);
  }
}
