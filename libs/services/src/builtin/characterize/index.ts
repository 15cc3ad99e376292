// The Characterize service: size, entropy, byte and string statistics of a file.
export { CHARACTERIZE_DEFAULT_MAX_BYTES, CHARACTERIZE_MANIFEST, CharacterizeService, HIGH_ENTROPY_HEURISTIC } from './characterize-service';
