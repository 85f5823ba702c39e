/** The relay database used when neither --db nor $BUILDBELL_DB names one. */
export const DEFAULT_DATABASE = 'buildbell-relay.db';
