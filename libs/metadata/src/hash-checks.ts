import { allowParams, FieldCheckFactory, FieldValueError, singleText } from './field-check';

// Assemblyline's MD5/SHA1/SHA256 fields; hexadecimal of either case is accepted (and stored as given).
function hexCheck(length: number): FieldCheckFactory {
  const pattern = `^[a-fA-F0-9]{${length}}$`;
  const regex = new RegExp(pattern);
  return (params) => {
    allowParams(params, []);
    return (value, field) => {
      const text = singleText(value, field);
      if (!regex.test(text)) throw new FieldValueError(`[${field}] '${text}' not match the validator: ${pattern}`);
      return value;
    };
  };
}

export const md5Check = hexCheck(32);
export const sha1Check = hexCheck(40);
export const sha256Check = hexCheck(64);
