// Assemblyline's built-in lists. libs/config holds the same two (its schema fills profiles' defaults with
// them); they are repeated here so this pure library need not load the config loader. A spec keeps the
// copies equal.

/** Assemblyline's DEFAULT_SRV_SEL: the service categories selected when nothing else says. */
export const DEFAULT_SERVICE_SELECTION: readonly string[] = ['Filtering', 'Antivirus', 'Static Analysis', 'Extraction', 'Networking'];

/** Assemblyline's DEFAULT_RESTRICTED_PARAMS: what limited users may not change in a profile. */
export const DEFAULT_RESTRICTED_PARAMS: Readonly<Record<string, readonly string[]>> = {
  submission: ['ignore_recursion_prevention'],
  APKaye: ['resubmit_apk_as_jar'],
  AVClass: ['include_malpedia_dataset'],
  CAPE: [
    'specific_image', 'dll_function', 'dump_memory', 'force_sleepskip', 'no_monitor', 'simulate_user', 'reboot',
    'arguments', 'custom_options', 'clock', 'package', 'specific_machine', 'platform', 'routing',
    'ignore_cape_cache', 'hh_args', 'monitored_and_unmonitored',
  ],
  ConfigExtractor: ['include_empty_config'],
  DeobfuScripter: ['extract_original_iocs', 'max_file_size'],
  DocumentPreview: ['load_email_images', 'save_ocr_output'],
  EmlParser: ['extract_body_text', 'save_emlparser_output'],
  Extract: ['extract_executable_sections', 'continue_after_extract', 'use_custom_safelisting', 'score_failed_password'],
  FrankenStrings: ['max_file_size', 'max_string_length'],
  JsJaws: [
    'tool_timeout', 'add_supplementary', 'static_signatures', 'display_iocs', 'static_analysis_only',
    'ignore_stdout_limit', 'no_shell_error', 'browser', 'wscript_only', 'throw_http_exc', 'download_payload',
    'extract_function_calls', 'extract_eval_calls', 'log_errors', 'override_eval', 'file_always_exists',
    'enable_synchrony',
  ],
  Overpower: ['tool_timeout', 'add_supplementary', 'fake_web_download'],
  PDFId: ['carved_obj_size_limit'],
  Pixaxe: ['save_ocr_output', 'extract_ocr_uri'],
  Suricata: ['extract_files'],
  URLDownloader: ['regex_extract_filetype', 'regex_supplementary_filetype', 'extract_unmatched_filetype'],
  XLMMacroDeobfuscator: ['start point'],
};
