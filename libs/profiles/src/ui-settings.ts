import { isPlainObject, PlainObject } from './params-merge';
import { SubmissionParamsInput } from './submission-params';

/**
 * Fields of Assemblyline's UserSettings that only the UI reads: they ride along with the settings the UI sends
 * (`ui_params`, the start body) but are not submission parameters, so they are dropped, not refused.
 */
export const UI_ONLY_SETTINGS: readonly string[] = [
  'default_external_sources',
  'default_zip_password',
  'download_encoding',
  'executive_summary',
  'expand_min_score',
  'preferred_submission_profile',
  'submission_profiles',
  'submission_view',
];

/** One category of the UI's service list: selected whole, or service by service. */
interface UiServiceCategory {
  name: string;
  selected?: boolean;
  services?: { name: string; selected?: boolean }[];
}

/** The UI's service-parameter list: per service, each parameter with its value and default. */
interface UiServiceSpec {
  name: string;
  params?: { name: string; value?: unknown; default?: unknown }[];
}

const isCategoryList = (value: unknown): value is UiServiceCategory[] =>
  Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.name === 'string');

/** A category selected whole names the category; otherwise each selected service of it is named. */
function selectedServices(categories: UiServiceCategory[]): string[] {
  return categories.flatMap((category) =>
    category.selected ? [category.name] : (category.services ?? []).filter((service) => service.selected).map((service) => service.name),
  );
}

/** Only parameters whose value differs from their default are kept, by service. */
function serviceSpecOf(list: UiServiceSpec[]): Record<string, Record<string, unknown>> {
  const spec: Record<string, Record<string, unknown>> = {};
  for (const service of list) {
    for (const param of service.params ?? []) {
      if (param.value === param.default) continue;
      (spec[service.name] ??= {})[param.name] = param.value;
    }
  }
  return spec;
}

/**
 * Assemblyline's `ui_to_submission_params`: the UI's settings as submission parameters. The service list
 * (categories with their services, each with `selected`) becomes `services.selected`; the service-parameter
 * list becomes `service_spec` (values that differ from the default); UI-only fields are dropped. Anything
 * else is left for the resolver to accept or refuse. Settings already in parameter form pass unchanged.
 */
export function uiSettingsToParams(settings: PlainObject): SubmissionParamsInput {
  const params: PlainObject = Object.fromEntries(Object.entries(settings).filter(([key]) => !UI_ONLY_SETTINGS.includes(key)));
  if (isCategoryList(params.services)) params.services = { selected: selectedServices(params.services) };
  if (isCategoryList(params.service_spec)) params.service_spec = serviceSpecOf(params.service_spec as UiServiceSpec[]);
  return params as SubmissionParamsInput;
}
