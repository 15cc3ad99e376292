// The MongoDB filter the classification engine builds, run against the real MongoDB-wire server
// (FerretDB v1 in development): each user gets back exactly the documents isAccessible allows.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Connection, Model, Schema } from 'mongoose';
import { parse } from 'yaml';
import { connectMongo } from '@hopper/datastore';
import {
  ACCESS_CONTROL_SCHEMA_FIELDS,
  accessControlFieldsFor,
  ClassificationEngine,
  loadClassificationFile,
} from '@hopper/classification';
import { mongoUrlFor, uniqueId } from './support/test-env';

interface MarkedDoc {
  _id: string;
  classification: string;
}

const ROOT = join(__dirname, '..');

// Scheme A of the classification lib's tests, with dynamic groups on (ACME below is one).
const schemeA = ClassificationEngine.fromDefinition(
  { ...(parse(readFileSync(join(ROOT, 'libs/classification/test-data/scheme-a.yml'), 'utf8')) as object), dynamic_groups: true },
  { base: null },
);
const hopperDefinition = loadClassificationFile(join(ROOT, 'config/classification.yml'), { base: null });
const tlp = new ClassificationEngine({ ...hopperDefinition, enforce: true });
const tlpOff = new ClassificationEngine(hopperDefinition);

const SCHEME_A_ITEMS = [
  'L0', 'L1', 'L2', 'L0//LE', 'L1//LE/AC', 'L2//ORCON', 'L1//NOCON/ORCON', 'L0//REL A', 'L1//REL A, B', 'L1//XX',
  'L0//R1', 'L1//R2', 'L1//XX/R3', 'L2//LE//REL B/R1', 'L1//AC//NOCON/REL A, X/R1/R2', 'L0//REL ACME', 'L1//REL ACME, B',
];
const FULL_USER = 'L2//AC/LE//NOCON/ORCON//REL A, B, X, ACME/R1/R2';
// Users and what each may see (the documents' markings as written above).
const SCHEME_A_USERS: Record<string, string[]> = {
  L0: ['L0'],
  L2: ['L0', 'L1', 'L2'],
  'L1//LE//REL A': ['L0', 'L1', 'L0//LE', 'L0//REL A', 'L1//REL A, B'],
  'L2//XX/R2': ['L0', 'L1', 'L2', 'L1//XX', 'L1//R2'],
  'L0//REL ACME': ['L0', 'L0//REL ACME'],
  'L1//AC//NOCON//REL A/R1': ['L0', 'L1', 'L0//REL A', 'L1//REL A, B', 'L0//R1', 'L1//AC//NOCON/REL A, X/R1/R2'],
  'L2//LE//REL X/R3': ['L0', 'L1', 'L2', 'L0//LE', 'L1//XX', 'L1//XX/R3'],
  [FULL_USER]: SCHEME_A_ITEMS.filter((c) => c !== 'L1//XX/R3'),
};

const TLP_ITEMS = ['TLP:C', 'TLP:G', 'TLP:A//CMR', 'TLP:A//REL ORG/IR', 'TLP:A+S//MA', 'AMBER+STRICT//COMMERCIAL'];
const TLP_USERS: Record<string, string[]> = {
  'TLP:G': ['TLP:C', 'TLP:G'],
  'TLP:A//CMR': ['TLP:C', 'TLP:G', 'TLP:A//CMR'],
  'TLP:A+S//CMR//REL ORG/IR': ['TLP:C', 'TLP:G', 'TLP:A//CMR', 'TLP:A//REL ORG/IR', 'AMBER+STRICT//COMMERCIAL'],
  'TLP:A+S//REL ORG/MA': ['TLP:C', 'TLP:G', 'TLP:A+S//MA'],
};

const markedSchema = new Schema<MarkedDoc>(
  { _id: String, classification: String, ...ACCESS_CONTROL_SCHEMA_FIELDS },
  { versionKey: false },
);

describe('classification filter on the MongoDB-wire server', () => {
  let connection: Connection;
  let schemeADocs: Model<MarkedDoc>;
  let tlpDocs: Model<MarkedDoc>;

  async function store(model: Model<MarkedDoc>, engine: ClassificationEngine, markings: string[]): Promise<void> {
    // _id is the marking as written; the stored classification is its normalized form.
    await model.insertMany(
      markings.map((c) => ({ _id: c, classification: engine.normalize(c), ...accessControlFieldsFor(engine, c) })),
    );
  }

  async function visible(model: Model<MarkedDoc>, engine: ClassificationEngine, user: string): Promise<string[]> {
    const docs = await model.find(engine.mongoAccessFilter(user)).lean();
    return docs.map((d) => d._id).sort();
  }

  beforeAll(async () => {
    connection = await connectMongo(mongoUrlFor(`hopper_test_${uniqueId('classification')}`));
    schemeADocs = connection.model<MarkedDoc>('SchemeADoc', markedSchema, 'scheme_a_docs');
    tlpDocs = connection.model<MarkedDoc>('TlpDoc', markedSchema, 'tlp_docs');
    await store(schemeADocs, schemeA, SCHEME_A_ITEMS);
    await store(tlpDocs, tlp, TLP_ITEMS);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('stores the access-control parts beside each classification', async () => {
    const doc = await schemeADocs.findById('L1//AC//NOCON/REL A, X/R1/R2').lean();
    expect(doc).toEqual({
      _id: 'L1//AC//NOCON/REL A, X/R1/R2',
      classification: 'LEVEL 1//ACCOUNTING//NO CONTRACTORS/REL TO GROUP A, GROUP X/RESERVE ONE/RESERVE TWO',
      __access_lvl__: 5,
      __access_req__: ['AC', 'NOCON'],
      __access_grp1__: ['A', 'X'],
      __access_grp2__: ['R1', 'R2'],
    });
  });

  it.each(Object.entries(SCHEME_A_USERS))('scheme A: user %s sees exactly what the engine allows', async (user, expected) => {
    const found = await visible(schemeADocs, schemeA, user);
    expect(found).toEqual([...expected].sort());
    expect(found).toEqual(SCHEME_A_ITEMS.filter((item) => schemeA.isAccessible(user, schemeA.normalize(item))).sort());
  });

  it.each(Object.entries(TLP_USERS))("Hopper's TLP scheme, enforced: user %s", async (user, expected) => {
    const found = await visible(tlpDocs, tlp, user);
    expect(found).toEqual([...expected].sort());
    expect(found).toEqual(TLP_ITEMS.filter((item) => tlp.isAccessible(user, tlp.normalize(item))).sort());
  });

  it('with enforce off the filter is empty and every document comes back', async () => {
    expect(tlpOff.mongoAccessFilter('TLP:C')).toEqual({});
    expect(await visible(tlpDocs, tlpOff, 'TLP:C')).toEqual([...TLP_ITEMS].sort());
  });
});
