import { DataLayer } from '../db/data-layer.js';
import type { OpenDataLayer } from '../suites/subject.js';

/**
 * This repository's data layer (db/data-layer.ts) as the suites' data layer under test. The
 * annotation is the compile-time check that the class fits the seam (suites/subject.ts).
 */
export const openOwnDataLayer: OpenDataLayer = (settings) => DataLayer.open(settings);
