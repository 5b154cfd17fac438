import { InvalidArgumentError } from '../errors.js';

/** Largest page a caller may ask for. */
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
  pages: number;
}

/** Checks page arguments: page is a whole number from 1, size a whole number from 1 to 100. */
export function validatePageArguments(page: number, size: number): void {
  if (!Number.isSafeInteger(page) || page < 1) {
    throw new InvalidArgumentError('page', page, 'a whole number from 1');
  }
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new InvalidArgumentError('size', size, `a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
}

export function toPage<T>(items: T[], total: number, page: number, size: number): Page<T> {
  return { items, page, size, total, pages: Math.ceil(total / size) };
}
