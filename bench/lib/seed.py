#!/usr/bin/env python3
"""Seeds a Gatehouse data directory's SQLite database for the scale runs (issue 2 and 5), written
straight into the tables before `gatehouse serve` starts, in the rows' stored formats:
  --users N   users in the first org
  --tokens M  API tokens of the first org's admin; their MACs are random: never presented, they
              only make the lookup tables large
  --apps A    OIDC service apps (client_credentials, client_secret_basic) in the first org, each
              with one ACTIVE client secret whose MAC is random (the app cannot authenticate)
  --orgs K    K more orgs, each with an admin (SUPER_ADMIN), the Everyone group, one API token
              (random MAC) and the first org's OAuth documents (org AS keys, the `default` AS
              with its keys, scopes, policy and rule), so that start-up finds nothing missing
              (api::ensure_oauth_defaults would otherwise make 4 RSA keys per org on the first
              start). BENCHMARK DATA ONLY: the seeded orgs share the first org's signing keys.
Usage: seed.py DB [--users N] [--tokens M] [--apps A] [--orgs K]"""
import argparse, base64, json, os, sqlite3, string, time, secrets

ALPHA = string.digits + string.ascii_uppercase + string.ascii_lowercase

def rid(prefix):
    return prefix + ''.join(secrets.choice(ALPHA) for _ in range(17))

def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b'=').decode()

def iso(ms):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(ms // 1000)) + f'.{ms % 1000:03d}Z'

def app_docs(i, now):
    app_id, secret_id = rid('0oa'), rid('ocs')
    app = {'id': app_id, 'name': 'oidc_client', 'label': f'scale-app-{i}', 'status': 'ACTIVE',
           'created': iso(now), 'lastUpdated': iso(now), 'signOnMode': 'OPENID_CONNECT',
           'credentials': {'oauthClient': {'client_id': app_id, 'token_endpoint_auth_method': 'client_secret_basic',
                                           'autoKeyRotation': True}},
           'settings': {'oauthClient': {'application_type': 'service', 'grant_types': ['client_credentials'],
                                        'response_types': ['token'], 'dpop_bound_access_tokens': False}}}
    secret = {'id': secret_id, 'status': 'ACTIVE', 'created': iso(now), 'lastUpdated': iso(now),
              'secret_hash': b64url(os.urandom(16)), 'client_secret': 'gth_cs_' + rid('')[:4] + '\u2026',
              '_gh': {'mac': b64url(os.urandom(32))}}
    return [('app', app_id, '', json.dumps(app, separators=(',', ':'))),
            ('client_secret', secret_id, app_id, json.dumps(secret, separators=(',', ':')))]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('db')
    ap.add_argument('--users', type=int, default=0)
    ap.add_argument('--tokens', type=int, default=0)
    ap.add_argument('--apps', type=int, default=0)
    ap.add_argument('--orgs', type=int, default=0)
    a = ap.parse_args()
    db = sqlite3.connect(a.db)
    db.execute('PRAGMA synchronous=OFF')
    org_id, = db.execute("SELECT id FROM orgs WHERE slug = ''").fetchone()
    admin, = db.execute("SELECT principal_id FROM role_assignments WHERE org_id = ? AND type = 'SUPER_ADMIN'",
                        (org_id,)).fetchone()
    now = int(time.time() * 1000)

    def user_row(org, uid, login, last):
        profile = json.dumps({'login': login, 'email': login, 'firstName': 'Scale', 'lastName': last})
        return (org, uid, 'ACTIVE', now, now, now, 0, now, 0, login, profile, '')

    db.executemany('INSERT INTO users VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                   (user_row(org_id, rid('00u'), f'scale{i}@example.com', f'User{i}') for i in range(a.users)))
    db.executemany('INSERT INTO api_tokens VALUES (?,?,?,?,?,?,?,?,?,?)',
                   ((org_id, rid('00T'), admin, f'scale-{i}', os.urandom(32), 'gth_api_xxxx', now, now, now, 0)
                    for i in range(a.tokens)))
    db.executemany('INSERT INTO documents (org_id, kind, id, parent_id, body) VALUES (?,?,?,?,?)',
                   ((org_id, *d) for i in range(a.apps) for d in app_docs(i, now)))

    oauth_docs = db.execute(
        "SELECT kind, id, parent_id, body FROM documents WHERE org_id = ? AND kind IN "
        "('signing_key', 'auth_server', 'as_scope', 'as_policy', 'as_rule')", (org_id,)).fetchall()
    everyone = json.dumps({'name': 'Everyone', 'description': 'All users in your organization'})
    for i in range(a.orgs):
        oid, uid = rid('00o'), rid('00u')
        db.execute('INSERT INTO orgs VALUES (?,?,?,?)', (oid, f'scale{i}', f'Scale {i}', now))
        db.execute('INSERT INTO users VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                   user_row(oid, uid, f'admin@scale{i}.example.com', 'Admin'))
        db.execute('INSERT INTO groups VALUES (?,?,?,?,?,?,?,?)',
                   (oid, rid('00g'), 'BUILT_IN', now, now, now, 'everyone', everyone))
        db.execute('INSERT INTO role_assignments VALUES (?,?,?,?,?,?,?)',
                   (oid, rid('ra1'), 'USER', uid, 'SUPER_ADMIN', now, now))
        db.execute('INSERT INTO api_tokens VALUES (?,?,?,?,?,?,?,?,?,?)',
                   (oid, rid('00T'), uid, 'scale-admin', os.urandom(32), 'gth_api_xxxx', now, now, now, 0))
        db.executemany('INSERT INTO documents (org_id, kind, id, parent_id, body) VALUES (?,?,?,?,?)',
                       ((oid, *d) for d in oauth_docs))
    db.commit()
    print(f'seeded users={a.users} tokens={a.tokens} apps={a.apps} orgs={a.orgs} '
          f'(oauth documents copied per org: {len(oauth_docs)})')

if __name__ == '__main__':
    main()
