#!/usr/bin/env python3
"""The iptables rules and chains the harness's node adds, and their removal.

    iptables_owned.py snapshot FILE            record the chains that exist now (IPv4 and IPv6)
    iptables_owned.py remove-since FILE        remove what was added since: chains that were not
                                               there (the kubelet's KUBE-*, CNI's CNI-*), every
                                               rule jumping to them, and rules tagged as ours
    iptables_owned.py ensure-service-dnat SVC_IP SVC_PORT NODE_IP PORT
                                               pods' connections to SVC_IP:SVC_PORT go to
                                               NODE_IP:PORT (the API server's forwarder)
    iptables_owned.py list-owned FILE          print what remove-since would remove (for tests)

Rules are ours when they carry the comment "mlstack-harness" or the CNI network name "mlstack";
chains are ours when they appeared after the snapshot. Nothing else is touched.
"""
import json
import shlex
import subprocess
import sys

FAMILIES = {"ipv4": ("iptables", "iptables-save"), "ipv6": ("ip6tables", "ip6tables-save")}
OUR_COMMENTS = ('mlstack-harness', 'name: "mlstack"', 'name: \\"mlstack\\"')
BUILTIN = {"INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING"}


def save(family):
    _, save_cmd = FAMILIES[family]
    try:
        out = subprocess.run([save_cmd], check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        return {}
    tables, table = {}, None
    for line in out.splitlines():
        if line.startswith("*"):
            table = line[1:]
            tables[table] = {"chains": [], "rules": []}
        elif line.startswith(":") and table:
            tables[table]["chains"].append(line[1:].split()[0])
        elif line.startswith("-A ") and table:
            tables[table]["rules"].append(line)
    return tables


def snapshot(path):
    state = {fam: {t: v["chains"] for t, v in save(fam).items()} for fam in FAMILIES}
    with open(path, "w") as f:
        json.dump(state, f)


def owned(before):
    """(family, table, rules to delete, chains to delete) added since the snapshot."""
    plan = []
    for fam in FAMILIES:
        for table, now in save(fam).items():
            old = set(before.get(fam, {}).get(table, []))
            new_chains = [c for c in now["chains"] if c not in old and c not in BUILTIN]
            rules = []
            for rule in now["rules"]:
                args = shlex.split(rule)
                chain = args[1]
                if chain in new_chains:
                    continue  # flushed with its chain
                target = None
                for flag in ("-j", "-g"):
                    if flag in args:
                        target = args[args.index(flag) + 1]
                if target in new_chains or any(c in rule for c in OUR_COMMENTS):
                    rules.append(args)
            if rules or new_chains:
                plan.append((fam, table, rules, new_chains))
    return plan


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        print(f"iptables_owned: {' '.join(cmd)}: {r.stderr.strip()}", file=sys.stderr)
    return r.returncode == 0


def remove_since(path):
    try:
        with open(path) as f:
            before = json.load(f)
    except FileNotFoundError:
        return True
    ok = True
    for fam, table, rules, chains in owned(before):
        tool = FAMILIES[fam][0]
        for args in rules:
            ok &= run([tool, "-w", "-t", table, "-D"] + args[1:])
        for chain in chains:
            ok &= run([tool, "-w", "-t", table, "-F", chain])
        for chain in chains:
            ok &= run([tool, "-w", "-t", table, "-X", chain])
    return ok


def list_owned(path):
    with open(path) as f:
        before = json.load(f)
    for fam, table, rules, chains in owned(before):
        for args in rules:
            print(f"{fam} {table} rule {' '.join(args)}")
        for chain in chains:
            print(f"{fam} {table} chain {chain}")
    return True


def ensure_service_dnat(svc_ip, svc_port, node_ip, port):
    spec = ["PREROUTING", "-d", f"{svc_ip}/32", "-p", "tcp", "--dport", svc_port,
            "-m", "comment", "--comment", "mlstack-harness", "-j", "DNAT",
            "--to-destination", f"{node_ip}:{port}"]
    for rule in save("ipv4").get("nat", {}).get("rules", []):
        args = shlex.split(rule)
        if args[1] == "PREROUTING" and "mlstack-harness" in rule and args[1:] != spec:
            run(["iptables", "-w", "-t", "nat", "-D"] + args[1:])
    if subprocess.run(["iptables", "-w", "-t", "nat", "-C"] + spec, capture_output=True).returncode == 0:
        return True
    return run(["iptables", "-w", "-t", "nat", "-A"] + spec)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    ok = {"snapshot": lambda: snapshot(*args) or True, "remove-since": lambda: remove_since(*args),
          "list-owned": lambda: list_owned(*args),
          "ensure-service-dnat": lambda: ensure_service_dnat(*args)}[cmd]()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
