import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PERMISSION_CODES,
  SYSTEM_ROLES,
  coversAll,
  expandPermissions,
  grants,
  parsePermissionList,
  type Permission,
} from '../../src/domain/permissions.js';
import { TktError } from '../../src/errors.js';

const permissionSet = fc.subarray([...PERMISSION_CODES, '*', 'ticket:*'] as string[]);

describe('permissions', () => {
  it('wildcards grant exactly what they say', () => {
    expect(grants(['*'], 'org:delete')).toBe(true);
    expect(grants(['ticket:*'], 'ticket:delete')).toBe(true);
    expect(grants(['ticket:*'], 'member:read')).toBe(false);
    expect(grants([], 'ticket:read')).toBe(false);
    expect(grants(['ticket:read'], 'ticket:create')).toBe(false);
  });

  it('system roles match the contract', () => {
    const byCode = Object.fromEntries(SYSTEM_ROLES.map((r) => [r.code, expandPermissions(r.permissions)]));
    expect(byCode.owner).toEqual(PERMISSION_CODES);
    expect(byCode.admin).toEqual(PERMISSION_CODES.filter((p) => p !== 'org:delete'));
    expect(byCode.member).toEqual(['member:read', 'role:read', 'ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment']);
    expect(byCode.viewer).toEqual(['member:read', 'ticket:read']);
  });

  it('coversAll agrees with grants for every concrete permission (property)', () => {
    fc.assert(
      fc.property(permissionSet, permissionSet, (held, wanted) => {
        const expected = expandPermissions(wanted).every((p: Permission) => grants(held, p));
        expect(coversAll(held, wanted)).toBe(expected);
        expect(coversAll(held, held)).toBe(true);
      }),
    );
  });

  it('coversAll is transitive (property)', () => {
    fc.assert(
      fc.property(permissionSet, permissionSet, permissionSet, (a, b, c) => {
        if (coversAll(a, b) && coversAll(b, c)) expect(coversAll(a, c)).toBe(true);
      }),
    );
  });

  it('parses permission lists and names the valid ones on error', () => {
    expect(parsePermissionList(' ticket:read, ticket:* ,ticket:read')).toEqual(['ticket:read', 'ticket:*']);
    try {
      parsePermissionList('ticket:read,ticket:fly');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TktError);
      expect((err as TktError).exitCode).toBe(2);
      expect((err as TktError).message).toContain('ticket:fly');
      expect((err as TktError).hint).toContain('audit:read');
    }
    expect(() => parsePermissionList(' , ')).toThrow(TktError);
  });
});
