import type { ClassificationEngine } from '@hopper/classification';
import type { HopperConfig } from '@hopper/config';
import { resolveSubmissionParams, SubmissionParams, SubmissionParamsInput } from '@hopper/profiles';
import type { AuthenticatedUser } from '../../auth/auth.service';
import { submittingUser } from '../../intake';
import type { TgSubmitOptions } from './tg-submit-options';

/**
 * A Threat Grid sample's submission parameters: threatgrid.submission_profile, with the request's options
 * mapped onto Hopper's: vm / playbook / network_exit become the dynamic-analysis service's parameters (and
 * select it), sample_password the archive passwords (initial_data), classify adds threatgrid.classify_services,
 * private raises the classification to threatgrid.private_classification.
 */
export function tgSubmissionParams(options: TgSubmitOptions, name: string, auth: AuthenticatedUser, config: HopperConfig, engine: ClassificationEngine): SubmissionParams {
  const tg = config.threatgrid;
  const dynamic: Record<string, string> = {};
  if (options.vm) dynamic.vm = options.vm;
  if (options.playbook) dynamic.playbook = options.playbook;
  if (options.network_exit) dynamic.network_exit = options.network_exit;
  const request: SubmissionParamsInput = {
    description: `Threat Grid sample: ${name}`,
    ...(Object.keys(dynamic).length ? { service_spec: { [tg.dynamic_service]: dynamic } } : {}),
    ...(options.sample_password ? { initial_data: JSON.stringify({ passwords: [options.sample_password] }) } : {}),
  };
  const { params } = resolveSubmissionParams({
    endpoint: 'submit',
    config,
    user: submittingUser(auth),
    request: { submission_profile: tg.submission_profile, params: request },
    classification: engine,
  });
  const selected = params.services.selected;
  const wanted = [...(Object.keys(dynamic).length ? [tg.dynamic_service] : []), ...(options.classify ? tg.classify_services : [])];
  for (const service of wanted) if (!selected.includes(service)) selected.push(service);
  if (options.private && tg.private_classification) params.classification = engine.max(params.classification, tg.private_classification);
  params.submitter = auth.uname;
  params.quota_item = true;
  return params;
}
