import nock from 'nock';

// Tests must never reach a real mint or host: HTTP(S) and fetch are allowed on loopback only.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
