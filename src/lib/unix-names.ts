import fs from 'node:fs';

// Names of users and groups from /etc/passwd and /etc/group (Node has no getpwuid), read once per
// process; undefined where a system has no such file or no such id.

const names = new Map<string, Map<number, string>>();

function nameIn(database: '/etc/passwd' | '/etc/group', id: number): string | undefined {
  let byId = names.get(database);
  if (!byId) {
    byId = new Map();
    try {
      for (const line of fs.readFileSync(database, 'utf8').split('\n')) {
        const [name, , idText] = line.split(':');
        if (name && idText && /^\d+$/.test(idText) && !byId.has(Number(idText))) byId.set(Number(idText), name);
      }
    } catch {
      // no such file (not a Unix system): numbers only
    }
    names.set(database, byId);
  }
  return byId.get(id);
}

export const userNameOf = (uid: number): string | undefined => nameIn('/etc/passwd', uid);
export const groupNameOf = (gid: number): string | undefined => nameIn('/etc/group', gid);
