/** The soft-delete filter: on by default, so a deleted user is invisible unless asked for. */
export const NOT_DELETED = 'notDeleted';
