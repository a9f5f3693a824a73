// Runs HubSpot's official Node client (@hubspot/api-client) against the fake
// HubSpot server and checks that every answer deserialises into populated
// typed models. If the official client reads the fake correctly, the fake's
// JSON shapes match what the client was generated from (HubSpot's OpenAPI
// specs), so our C++ backend is tested against real shapes.
//
// Needs FAKE_HUBSPOT_URL and FAKE_HUBSPOT_TOKEN; the fake must run with
// fake-config.json from this directory. Exits 1 with one "conformance:" line
// per failed check.
import { readFileSync } from 'node:fs';
import hubspot from '@hubspot/api-client';

const { Client } = hubspot;
const basePath = process.env.FAKE_HUBSPOT_URL;
const accessToken = process.env.FAKE_HUBSPOT_TOKEN;
if (!basePath || !accessToken) {
  console.error('conformance: set FAKE_HUBSPOT_URL and FAKE_HUBSPOT_TOKEN');
  process.exit(2);
}
const config = JSON.parse(readFileSync(new URL('./fake-config.json', import.meta.url), 'utf8'));
const contactCount = config.objects.contacts.count;
const archivedCount = config.objects.contacts.archived;
const rejectedId = config.update_rejects.contacts[0];

const client = new Client({ accessToken, basePath });
const failures = new Set();    // a Set, so a check failing on every record reports once

function check(condition, message) {
  if (!condition) failures.add(message);
  return condition;
}

async function admin(path, body) {
  const response = await fetch(`${basePath}/__fake/${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return response.json();
}

async function expectApiError(promise, code, what) {
  try {
    await promise;
    check(false, `${what}: expected HTTP ${code}, got success`);
  } catch (error) {
    check(error.code === code, `${what}: expected HTTP ${code}, got ${error.code} (${error.message})`);
    return error;
  }
  return null;
}

async function pagesContacts() {
  const properties = ['email', 'firstname', 'hs_buying_role', 'passport_number'];
  const ids = [];
  let after;
  let pages = 0;
  do {
    const page = await client.crm.contacts.basicApi.getPage(100, after, properties, undefined, undefined, false);
    pages += 1;
    for (const record of page.results) {
      ids.push(Number(record.id));
      check(record.createdAt instanceof Date && !isNaN(record.createdAt), `getPage: createdAt not a Date`);
      check(record.updatedAt instanceof Date, `getPage: updatedAt not a Date`);
      check(record.archived === false, `getPage: archived should be false`);
      check('email' in record.properties && 'firstname' in record.properties, `getPage: asked properties missing`);
      check(record.properties.hs_object_id === record.id, `getPage: hs_object_id != id`);
      check('lastmodifieddate' in record.properties && 'createdate' in record.properties,
        `getPage: createdate/lastmodifieddate not returned`);
    }
    after = page.paging?.next?.after;
    if (after) check(/[+/=]/.test(after), `paging.next.after should be an opaque base64 cursor, got ${after}`);
  } while (after);
  check(ids.length === contactCount, `getPage: expected ${contactCount} contacts, got ${ids.length}`);
  check(ids.every((id, index) => index === 0 || id > ids[index - 1]), 'getPage: ids not ascending');
  check(pages === Math.ceil(contactCount / 100), `getPage: expected ${Math.ceil(contactCount / 100)} pages, got ${pages}`);
  const archived = await client.crm.contacts.basicApi.getPage(100, undefined, ['email'], undefined, undefined, true);
  check(archived.results.length === archivedCount, `archived getPage: expected ${archivedCount}, got ${archived.results.length}`);
  check(archived.results.every((record) => record.archived === true && record.archivedAt instanceof Date),
    'archived getPage: records not archived');
  check(archived.results.every((record) => !ids.includes(Number(record.id))), 'archived records also listed live');
  return ids.map(String);
}

async function batchReads(ids) {
  const wanted = ids.slice(0, 50);
  const read = await client.crm.contacts.batchApi.read({
    inputs: wanted.map((id) => ({ id })), properties: ['email', 'lifecyclestage'], propertiesWithHistory: [],
  });
  check(read.status === 'COMPLETE', `batch read: status ${read.status}`);
  check(read.startedAt instanceof Date && read.completedAt instanceof Date, 'batch read: startedAt/completedAt not Dates');
  const got = read.results.map((record) => record.id);
  check(got.length === 50 && wanted.every((id) => got.includes(id)), 'batch read: wrong result ids');
  check(got.join() !== wanted.join(), 'batch read: results came back in input order (the fake should shuffle)');
  check(read.results.every((record) => 'lifecyclestage' in record.properties), 'batch read: asked property missing');

  const partial = await client.crm.contacts.batchApi.read({
    inputs: [{ id: wanted[0] }, { id: '999999999' }], properties: ['email'], propertiesWithHistory: [],
  });
  check(partial.numErrors === 1, `batch read 207: numErrors ${partial.numErrors}`);
  const error = partial.errors?.[0];
  check(error?.category === 'OBJECT_NOT_FOUND' && error?.status === 'error', 'batch read 207: error category/status');
  check(error?.context?.ids?.[0] === '999999999', 'batch read 207: context.ids');
  check(partial.results.length === 1 && partial.results[0].id === wanted[0], 'batch read 207: results');
}

async function batchUpdates(ids) {
  const [first, second] = ids;
  const value = 'Conformance, "quoted"\nline';
  const ok = await client.crm.contacts.batchApi.update({
    inputs: [{ id: first, properties: { firstname: value, lifecyclestage: 'customer' } },
      { id: second, properties: { lastname: '' } }],
  });
  check(ok.status === 'COMPLETE' && ok.results.length === 2 && !ok.numErrors, 'batch update: 200 answer');
  const updated = ok.results.find((record) => record.id === first);
  check(updated?.properties.firstname === value, 'batch update: new value not echoed');
  check(Date.now() - updated?.updatedAt?.getTime() < 60_000, 'batch update: updatedAt not bumped');

  const reread = await client.crm.contacts.batchApi.read({
    inputs: [{ id: first }, { id: second }], properties: ['firstname', 'lastname', 'lastmodifieddate'], propertiesWithHistory: [],
  });
  const byId = Object.fromEntries(reread.results.map((record) => [record.id, record]));
  check(byId[first]?.properties.firstname === value, 'batch update: value not stored');
  check(byId[second]?.properties.lastname === null, 'batch update: empty string should clear to null');
  check(Date.now() - Date.parse(byId[first]?.properties.lastmodifieddate) < 60_000, 'batch update: lastmodifieddate not bumped');

  const partial = await client.crm.contacts.batchApi.update({
    inputs: [{ id: first, properties: { firstname: 'Again' } }, { id: '999999999', properties: { firstname: 'x' } },
      { id: rejectedId, properties: { firstname: 'x' } }],
  });
  check(partial.numErrors === 2, `batch update 207: numErrors ${partial.numErrors}`);
  const categories = (partial.errors ?? []).map((error) => error.category).sort();
  check(categories.join() === 'OBJECT_NOT_FOUND,VALIDATION_ERROR', `batch update 207: categories ${categories}`);
  check(partial.errors?.every((error) => error.message && error.context.ids.length === 1), 'batch update 207: message/context.ids');
  check(partial.results.length === 1 && partial.results[0].id === first, 'batch update 207: results');

  const readOnly = await expectApiError(client.crm.contacts.batchApi.update({
    inputs: [{ id: first, properties: { createdate: '2020-01-01T00:00:00Z' } }],
  }), 400, 'batch update of a read-only property');
  check(readOnly?.body?.category === 'VALIDATION_ERROR', 'read-only update: category');
}

async function properties() {
  const all = await client.crm.properties.coreApi.getAll('contacts');
  const byName = Object.fromEntries(all.results.map((prop) => [prop.name, prop]));
  const stage = byName.lifecyclestage;
  check(stage?.type === 'enumeration' && stage.fieldType === 'radio' && stage.options.length > 3, 'properties: lifecyclestage');
  check(stage?.options.every((option) => option.label && option.value && option.hidden === false), 'properties: option shape');
  check(byName.createdate?.modificationMetadata?.readOnlyValue === true, 'properties: createdate readOnlyValue');
  check(byName.num_associated_deals?.calculated === true, 'properties: calculated flag');
  check(byName.email?.modificationMetadata?.readOnlyValue === false, 'properties: email writable');
  check(!('passport_number' in byName), 'properties: sensitive property listed without dataSensitivity');
  for (const prop of all.results) {
    check(typeof prop.groupName === 'string' && typeof prop.label === 'string', `properties: ${prop.name} incomplete`);
  }
  // getAll has no dataSensitivity parameter in this client version: use apiRequest.
  const sensitive = await (await client.apiRequest({
    method: 'GET', path: '/crm/v3/properties/contacts', qs: { dataSensitivity: 'sensitive' },
  })).json();
  check(sensitive.results?.length === 1 && sensitive.results[0].dataSensitivity === 'sensitive', 'properties: sensitive list');
  const highly = await client.apiRequest({
    method: 'GET', path: '/crm/v3/properties/contacts', qs: { dataSensitivity: 'highly_sensitive' },
  });
  const denied = await highly.json();
  check(highly.status === 403 && denied.category === 'MISSING_SCOPES', `properties highly_sensitive: want 403, got ${highly.status}`);
  check(denied.errors?.[0]?.context?.requiredGranularScopes?.[0] === 'crm.objects.contacts.highly_sensitive.read',
    'MISSING_SCOPES: requiredGranularScopes');
  const valueDenied = await expectApiError(
    client.crm.contacts.basicApi.getPage(10, undefined, ['medical_condition']), 403, 'highly sensitive value');
  check(valueDenied?.body?.category === 'MISSING_SCOPES', 'highly sensitive value: category');
}

async function schemasAndUsers() {
  const schemas = await client.crm.schemas.coreApi.getAll();
  const pets = schemas.results.find((schema) => schema.objectTypeId === '2-1001');
  check(pets?.name === 'pets' && pets.fullyQualifiedName === `p${config.portal_id}_pets`, 'schemas: pets');
  check(pets?.labels?.singular === 'Pet' && pets.labels.plural === 'Pets', 'schemas: labels');
  check(pets?.properties.some((prop) => prop.name === 'name'), 'schemas: properties');
  for (const alias of ['2-1001', 'p_pets', `p${config.portal_id}_pets`]) {
    const page = await client.crm.objects.basicApi.getPage(alias, 5, undefined, ['name']);
    check(page.results.length === 5 && page.results[0].properties.name !== undefined, `custom object by ${alias}`);
  }
  await expectApiError(client.crm.tickets.basicApi.getPage(5), 404, 'missing object type');

  const first = await client.settings.users.usersApi.getPage(2);
  check(first.results.length === 2 && first.paging?.next?.after, 'users: first page');
  const second = await client.settings.users.usersApi.getPage(2, first.paging.next.after);
  const users = [...first.results, ...second.results];
  check(users.length === 3, `users: expected 3, got ${users.length}`);
  check(users.filter((user) => user.superAdmin === true).length === 1, 'users: exactly one superAdmin');
  check(users.every((user) => user.id && user.email && Array.isArray(user.roleIds)), 'users: id/email/roleIds');
}

async function searches() {
  const all = await client.crm.contacts.searchApi.doSearch({ filterGroups: [], properties: ['email'], limit: 5, sorts: [] });
  check(all.total === contactCount, `search: total ${all.total}, want ${contactCount}`);
  check(all.results.length === 5 && all.paging?.next?.after, 'search: page and paging');
  const since = Date.now() - 60_000;
  const recent = await client.crm.contacts.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(since) }] }],
    properties: ['firstname'], limit: 100, sorts: [],
  });
  check(recent.total === 2, `search: ${recent.total} contacts modified in the last minute, want 2`);
  const iso = await client.crm.contacts.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GT', value: new Date(since).toISOString() }] }],
    properties: ['firstname'], limit: 100, sorts: [],
  });
  check(iso.total === recent.total, 'search: ISO filter value differs from epoch milliseconds');
}

async function automationAndThreads() {
  const flows = await (await client.apiRequest({ method: 'GET', path: '/automation/v4/flows', qs: { limit: 2 } })).json();
  check(flows.results?.length === 2 && flows.paging?.next?.after, 'flows: first page');
  const rest = await (await client.apiRequest({
    method: 'GET', path: '/automation/v4/flows', qs: { limit: 2, after: flows.paging.next.after },
  })).json();
  check(rest.results?.length === 1 && !rest.paging, 'flows: second page via after');
  const flow = await (await client.apiRequest({ method: 'GET', path: `/automation/v4/flows/${flows.results[0].id}` })).json();
  const criteria = flow.enrollmentCriteria;
  check(typeof flow.isEnabled === 'boolean' && flow.objectTypeId === '0-1' && flow.name, 'flow: isEnabled/objectTypeId/name');
  check(typeof criteria?.shouldReEnroll === 'boolean', 'flow: enrollmentCriteria.shouldReEnroll');
  check(criteria?.listFilterBranch?.filterBranches?.[0]?.filters?.[0]?.property, 'flow: listFilterBranch filter property');
  check(Array.isArray(criteria?.reEnrollmentTriggersFilterBranches), 'flow: reEnrollmentTriggersFilterBranches');

  const threads = [];
  let after;
  do {
    const qs = { limit: 10, sort: 'id', ...(after ? { after } : {}) };
    const page = await (await client.apiRequest({ method: 'GET', path: '/conversations/v3/conversations/threads', qs })).json();
    threads.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  check(threads.length === config.conversations.count, `threads: ${threads.length}, want ${config.conversations.count}`);
  check(threads.every((thread) => thread.id && thread.status && thread.inboxId && typeof thread.spam === 'boolean'
    && thread.createdAt && thread.latestMessageTimestamp && thread.originalChannelId), 'threads: fields');
  check(threads.some((thread) => thread.status === 'CLOSED' && thread.closedAt), 'threads: closedAt on closed threads');
}

async function rateLimitsAndRetries() {
  // A raw 429 carries HubSpot's body, the rate-limit headers and Retry-After.
  await admin('faults', { every_nth_429: 1, retry_after: true });
  const limited = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts', qs: { limit: 1 } });
  const body = await limited.json();
  check(limited.status === 429 && body.policyName === 'TEN_SECONDLY_ROLLING' && body.errorType === 'RATE_LIMIT', 'raw 429 body');
  check(limited.headers.get('retry-after') !== null, '429: Retry-After header missing');
  for (const name of ['max', 'remaining', 'interval-milliseconds', 'daily', 'daily-remaining']) {
    check(limited.headers.get(`x-hubspot-ratelimit-${name}`) !== null, `429: X-HubSpot-RateLimit-${name} missing`);
  }
  await admin('faults', { every_nth_429: 1, retry_after: false });
  const bare = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts', qs: { limit: 1 } });
  check(bare.status === 429 && bare.headers.get('retry-after') === null, '429 without Retry-After when disabled');

  // The client's own retry: it waits 10 s on TEN_SECONDLY_ROLLING and 200 ms on 5xx.
  const retrying = new Client({ accessToken, basePath, numberOfApiCallRetries: 2 });
  await admin('faults', { every_nth_429: 2 });
  await retrying.crm.contacts.basicApi.getPage(1);                 // request 1 passes
  const started = Date.now();
  const page = await retrying.crm.contacts.basicApi.getPage(1);    // request 2 gets a 429, its retry passes
  check(page.results.length === 1 && Date.now() - started >= 9_000, 'client retry after 429 TEN_SECONDLY_ROLLING');
  await admin('faults', { every_nth_5xx: 2 });
  await retrying.crm.contacts.basicApi.getPage(1);
  const afterError = await retrying.crm.contacts.basicApi.getPage(1);
  check(afterError.results.length === 1, 'client retry after 5xx');
  await admin('faults', {});

  // Search is limited to a few requests a second; the client retries on HubSpot's "secondly" message.
  const searches = [];
  for (let index = 0; index < 8; index += 1) {
    searches.push(retrying.crm.contacts.searchApi.doSearch({ filterGroups: [], properties: [], limit: 1, sorts: [] }));
  }
  const answers = await Promise.all(searches);
  check(answers.every((answer) => answer.total === contactCount), 'search retry after 429 SECONDLY');
  const stats = await admin('stats');
  check(stats.rate_limited_429 >= 6, `stats: rate_limited_429 ${stats.rate_limited_429}`);
  check(stats.server_errors_5xx >= 1, 'stats: server_errors_5xx');

  const tooLong = await client.apiRequest({
    method: 'GET', path: '/crm/v3/objects/contacts', qs: { properties: 'x'.repeat(17_000) },
  });
  check(tooLong.status === 414, `URL over 16,300 characters: want 414, got ${tooLong.status}`);
  const badCursor = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts', qs: { after: 'not a cursor' } });
  check(badCursor.status === 400, `malformed cursor: want 400, got ${badCursor.status}`);
  const unauthorised = await new Client({ accessToken: 'wrong', basePath }).apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
  const denial = await unauthorised.json();
  check(unauthorised.status === 401 && denial.category === 'INVALID_AUTHENTICATION' && denial.correlationId, '401 shape');
}

const steps = [
  ['page contacts', async () => { const ids = await pagesContacts(); await batchReads(ids); await batchUpdates(ids); }],
  ['properties', properties],
  ['schemas and users', schemasAndUsers],
  ['search', searches],
  ['automation and threads', automationAndThreads],
  ['rate limits and retries', rateLimitsAndRetries],
];
for (const [name, step] of steps) {
  const before = failures.size;
  try {
    await step();
  } catch (error) {
    failures.add(`${name}: unexpected error: ${error.stack ?? error}`);
  }
  console.log(`${failures.size === before ? 'ok  ' : 'FAIL'} ${name}`);
}
for (const failure of failures) console.error(`conformance: ${failure}`);
process.exit(failures.size ? 1 : 0);
