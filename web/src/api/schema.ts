// The entities as the API describes them (entities.gen.ts, from the OpenAPI document), and the
// workspace's custom fields, read at run time: forms, columns and filters are drawn from these, so a
// field added to the C entity table or a custom field shows up with no change here.
import { entities } from './entities.gen';
import { api } from './client';

export type FieldKind =
  | 'text' | 'longtext' | 'email' | 'url' | 'password' | 'enum' | 'boolean' | 'integer' | 'number'
  | 'money' | 'date' | 'datetime' | 'ref' | 'list' | 'object';

export interface FieldDesc {
  name: string;
  label: string;
  kind: FieldKind;
  values?: string[];
  ref?: string;
  required?: boolean;
  nullable?: boolean;
  readOnly?: boolean;
  filterable?: boolean;
  sortable?: boolean;
  listed?: boolean;
  custom?: boolean; // a workspace custom field: lives under the record's `custom` object
}

export interface EntityDesc {
  path: string;
  description: string;
  fields: FieldDesc[];
}

// Sort orders the list endpoints take, until the document says which fields are sortable
// (x-sortable): the C table's F_SORT fields of the entities the app lists.
const SORTABLE: Record<string, string[]> = {
  clients: ['name', 'stage', 'started_at', 'ended_at', 'created_at', 'updated_at'],
  contacts: ['first_name', 'last_name', 'created_at', 'updated_at'],
  interactions: ['occurred_at', 'created_at', 'updated_at'],
};

export function entity(name: string): EntityDesc {
  const e = entities[name];
  if (!e) throw new Error(`no entity ${name} in the API description`);
  return e;
}

export function field(entityName: string, name: string): FieldDesc | undefined {
  return entity(entityName).fields.find((f) => f.name === name);
}

export function sortable(entityName: string): FieldDesc[] {
  const e = entity(entityName);
  const listed = e.fields.filter((f) => f.sortable && f.name !== 'id');
  if (listed.length) return listed;
  const names = SORTABLE[entityName] ?? ['created_at'];
  return names
    .map((n) => e.fields.find((f) => f.name === n) ?? { name: n, label: n === 'created_at' ? 'Created' : 'Updated', kind: 'datetime' as const })
    .map((f) => ({ ...f, label: f.name === 'created_at' ? 'Created' : f.name === 'updated_at' ? 'Updated' : f.label }));
}

/** The fields a person fills in: writable, not server-set, not free-form objects. */
export function editable(entityName: string): FieldDesc[] {
  return entity(entityName).fields.filter((f) => !f.readOnly && f.kind !== 'object' && f.kind !== 'password');
}

/** A reference that belongs to the client: its target's records carry a filterable client_id (a
 * client's contacts, projects, deals...), so a form that names the client offers only that client's. */
export function belongsToClient(f: FieldDesc): boolean {
  if (f.kind !== 'ref' || !f.ref || f.ref === 'clients' || f.custom) return false;
  return !!entities[f.ref]?.fields.some((g) => g.name === 'client_id' && g.filterable);
}

export interface CustomFieldDef {
  id: string;
  entity: string;
  key: string;
  label: string | null;
  type: 'text' | 'number' | 'date' | 'select';
  options: string[];
}

let customCache: Promise<CustomFieldDef[]> | null = null;

/** The workspace's custom fields, once per page load (and again after forget()). */
export function customFields(): Promise<CustomFieldDef[]> {
  customCache ??= api<{ data: CustomFieldDef[] }>('GET', '/api/v1/custom-fields?limit=500')
    .then((r) => r.data)
    .catch(() => []);
  return customCache;
}

export function forgetCustomFields() {
  customCache = null;
}

export function customAsFields(defs: CustomFieldDef[], entityName: string): FieldDesc[] {
  return defs
    .filter((d) => d.entity === entityName)
    .map((d) => ({
      name: d.key,
      label: d.label ?? d.key,
      kind: d.type === 'number' ? 'number' : d.type === 'date' ? 'date' : d.type === 'select' ? 'enum' : 'text',
      values: d.type === 'select' ? d.options : undefined,
      nullable: true,
      custom: true,
    }));
}

/** "need_based" → "Need based": enum values shown as words. */
export function valueLabel(v: string | null | undefined): string {
  if (v == null || v === '') return '';
  const s = String(v).replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
