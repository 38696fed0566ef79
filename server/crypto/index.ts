export { createKeyring, DecryptionError, decrypt, encrypt, keyIdOf, type Keyring } from './cipher';
export { keyring, loadKeyring } from './keyring';
export { rotateSecrets } from './rotate';
