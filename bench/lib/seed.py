#!/usr/bin/env python3
"""Seeds a Gatehouse data directory's SQLite database for the scale runs (issue 2 and 5):
N users and M API tokens in the first org (and K extra orgs), written straight into the tables
before `gatehouse serve` starts, as the server would have written them. The tokens' MACs are
random: they are never presented, they only make the lookup tables large.
Usage: seed.py DB --users N --tokens M [--orgs K]"""
import argparse, json, os, sqlite3, string, time, secrets

ALPHA = string.digits + string.ascii_uppercase + string.ascii_lowercase

def rid(prefix):
    return prefix + ''.join(secrets.choice(ALPHA) for _ in range(17))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('db')
    ap.add_argument('--users', type=int, default=0)
    ap.add_argument('--tokens', type=int, default=0)
    ap.add_argument('--orgs', type=int, default=0)
    a = ap.parse_args()
    db = sqlite3.connect(a.db)
    db.execute('PRAGMA synchronous=OFF')
    org_id, = db.execute("SELECT id FROM orgs WHERE slug = ''").fetchone()
    admin, = db.execute("SELECT principal_id FROM role_assignments WHERE org_id = ? AND type = 'SUPER_ADMIN'",
                        (org_id,)).fetchone()
    now = int(time.time() * 1000)
    rows = []
    for i in range(a.users):
        login = f'scale{i}@example.com'
        profile = json.dumps({'login': login, 'email': login, 'firstName': 'Scale', 'lastName': f'User{i}'})
        rows.append((org_id, rid('00u'), 'ACTIVE', now, now, now, 0, now, 0, login, profile, ''))
    db.executemany('INSERT INTO users VALUES (?,?,?,?,?,?,?,?,?,?,?,?)', rows)
    rows = [(org_id, rid('00T'), admin, f'scale-{i}', os.urandom(32), 'gth_api_xxxx', now, now, now, 0)
            for i in range(a.tokens)]
    db.executemany('INSERT INTO api_tokens VALUES (?,?,?,?,?,?,?,?,?,?)', rows)
    for i in range(a.orgs):
        db.execute('INSERT INTO orgs VALUES (?,?,?,?)', (rid('00o'), f'scale{i}', f'Scale {i}', now))
    db.commit()
    print(f'seeded users={a.users} tokens={a.tokens} orgs={a.orgs}')

if __name__ == '__main__':
    main()
