import type { Model, mongo } from 'mongoose';

/**
 * The driver's own collection behind a model, for the launch's hot path: one
 * command without mongoose's query building, casting, hooks and stack capture
 * (a third to a half of a small command's CPU). Only for documents the caller
 * builds whole, or reads as stored (what `.lean()` gives); the model still
 * owns the schema and indexes. Resolved on first use, after the connection is
 * open.
 */
export function driverCollection<T extends mongo.Document>(
  model: Pick<Model<never>, 'db' | 'collection'>,
): () => mongo.Collection<T> {
  let collection: mongo.Collection<T> | undefined;
  return () => {
    if (collection) return collection;
    const db = model.db.db;
    if (!db)
      throw new Error(`driverCollection() | ${model.collection.collectionName} used before connecting`);
    collection = db.collection<T>(model.collection.collectionName);
    return collection;
  };
}
