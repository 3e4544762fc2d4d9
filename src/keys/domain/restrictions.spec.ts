import {
  compileIpAllowList,
  compileOriginAllowList,
  isValidCidr,
  normalizeOrigin,
} from './restrictions';

describe('key restrictions', () => {
  describe('isValidCidr', () => {
    it.each([
      '10.0.0.0/8',
      '192.168.1.0/24',
      '0.0.0.0/0',
      '203.0.113.7/32',
      '203.0.113.7',
      '10.1.2.3/8',
      '2001:db8::/32',
      '::/0',
      '::1',
      '2001:db8::1/128',
      '::ffff:10.0.0.0/104',
    ])('accepts %j', (value) => {
      expect(isValidCidr(value)).toBe(true);
    });

    it.each([
      '',
      ' ',
      'not an ip',
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0.0/-1',
      '10.0.0.0/',
      '10.0.0.0/8/8',
      '10.0.0.0/08',
      '10.0.0.0/1e1',
      '/8',
      '10.0.0/8',
      '10.1',
      '0x0a.0.0.1',
      '256.0.0.0/8',
      '010.0.0.0/8',
      ' 10.0.0.0/8',
      '10.0.0.0/8 ',
      '2001:db8:::/32',
      'fe80::1%eth0/64',
      'localhost',
    ])('refuses %j', (value) => {
      expect(isValidCidr(value)).toBe(false);
    });
  });

  describe('IP allow-list', () => {
    const list = compileIpAllowList(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32']);

    it.each([
      '10.0.0.0',
      '10.255.255.255',
      '10.1.2.3',
      '192.168.1.7',
      '2001:db8::1',
      '2001:db8:ffff::',
    ])('allows %j', (ip) => {
      expect(list.allows(ip)).toBe(true);
    });

    it.each(['11.0.0.1', '9.255.255.255', '192.168.1.8', '2001:db9::1', '::1'])(
      'refuses %j',
      (ip) => {
        expect(list.allows(ip)).toBe(false);
      },
    );

    it('treats an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
      expect(list.allows('::ffff:10.1.2.3')).toBe(true);
      expect(list.allows('::ffff:0a01:0203')).toBe(true);
      expect(list.allows('::ffff:192.168.1.7')).toBe(true);
      expect(list.allows('::ffff:11.0.0.1')).toBe(false);
    });

    it('matches an IPv4-mapped range written in IPv6 notation against plain IPv4 input', () => {
      const mapped = compileIpAllowList(['::ffff:10.0.0.0/104']);
      expect(mapped.allows('10.9.8.7')).toBe(true);
      expect(mapped.allows('11.9.8.7')).toBe(false);
    });

    it('matches a range written with host bits set on its network', () => {
      const sloppy = compileIpAllowList(['10.1.2.3/8']);
      expect(sloppy.allows('10.200.0.1')).toBe(true);
      expect(sloppy.allows('11.1.2.3')).toBe(false);
    });

    it('allows everything in 0.0.0.0/0 and ::/0', () => {
      expect(compileIpAllowList(['0.0.0.0/0']).allows('203.0.113.9')).toBe(true);
      expect(compileIpAllowList(['0.0.0.0/0']).allows('2001:db8::1')).toBe(false);
      expect(compileIpAllowList(['::/0']).allows('2001:db8::1')).toBe(true);
    });

    it('allows nothing when empty or when every entry is invalid', () => {
      expect(compileIpAllowList([]).allows('10.0.0.1')).toBe(false);
      expect(compileIpAllowList(['garbage', '10.0.0.0/99']).allows('10.0.0.1')).toBe(false);
    });

    it.each(['', 'garbage', '10.1', '10.0.0.0/8', '10.1.2.3 ', '::ffff:', '1.2.3.4.5'])(
      'answers false, without throwing, for the malformed input %j',
      (ip) => {
        expect(list.allows(ip)).toBe(false);
      },
    );

    it('answers false for input that is not a string at all', () => {
      expect(list.allows(undefined as unknown as string)).toBe(false);
      expect(list.allows(42 as unknown as string)).toBe(false);
    });
  });

  describe('normalizeOrigin', () => {
    it.each([
      ['https://App.Example.com:443/', 'https://app.example.com'],
      ['https://app.example.com', 'https://app.example.com'],
      ['HTTP://Example.COM:80', 'http://example.com'],
      ['http://localhost:3000', 'http://localhost:3000'],
      ['https://example.com:8443/', 'https://example.com:8443'],
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['http://[::1]:80', 'http://[::1]'],
      ['https://bücher.de', 'https://xn--bcher-kva.de'],
    ])('normalises %j to %j', (input, expected) => {
      expect(normalizeOrigin(input)).toBe(expected);
    });

    it.each([
      '',
      'null',
      'example.com',
      'ftp://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://example.com/path',
      'https://example.com//',
      'https://example.com/?',
      'https://example.com?q=1',
      'https://example.com#top',
      'https://user:pass@example.com',
      'https://user@example.com',
      'https://',
      'https://example.com:99999',
      'https://exa mple.com',
      ' https://example.com',
      'https://*.example.com',
    ])('refuses %j', (input) => {
      expect(normalizeOrigin(input)).toBeUndefined();
    });
  });

  describe('origin allow-list', () => {
    const list = compileOriginAllowList(['https://app.example.com', 'http://localhost:3000/']);

    it('allows listed origins however they are spelled', () => {
      expect(list.allows('https://app.example.com')).toBe(true);
      expect(list.allows('https://APP.example.com:443')).toBe(true);
      expect(list.allows('http://localhost:3000')).toBe(true);
    });

    it('refuses other schemes, ports, hosts and subdomains', () => {
      expect(list.allows('http://app.example.com')).toBe(false);
      expect(list.allows('https://app.example.com:8443')).toBe(false);
      expect(list.allows('http://localhost:3001')).toBe(false);
      expect(list.allows('https://evil.app.example.com')).toBe(false);
      expect(list.allows('https://app.example.com.evil.com')).toBe(false);
    });

    it('answers false for malformed input and ignores malformed entries', () => {
      expect(list.allows('null')).toBe(false);
      expect(list.allows('https://app.example.com/path')).toBe(false);
      expect(list.allows(undefined as unknown as string)).toBe(false);
      expect(compileOriginAllowList(['not an origin']).allows('not an origin')).toBe(false);
    });
  });
});
