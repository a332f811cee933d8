import { MongoClient } from 'mongodb';

export async function serverVersionOf(uri: string): Promise<string> {
  const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 5000, appName: 'meltcheck-probe' }).connect();
  try {
    return String((await client.db('admin').command({ buildInfo: 1 })).version);
  } finally {
    await client.close();
  }
}
