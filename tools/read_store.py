#!/usr/bin/env python3
"""Read every event out of a JourneyStore with the Python `lmdb` binding, following
Schemas/STORAGE.md only (no JourneyStore code). Prints the events as `journey export` does,
and checks the hash chain on the way. An encrypted store (record version 2) is opened with its
master key file, using the `cryptography` package for HKDF, HMAC and AES-GCM; events of
forgotten participants (their data key destroyed) are left out, as `journey export` does.

    python3 tools/read_store.py STORE_DIR [--participant P] [--upto SEQ] [--key-file PATH]
"""
import argparse
import datetime
import hashlib
import struct
import sys

import hmac

import lmdb


class Sealing:
    """The keys of an encrypted store (STORAGE.md, "Encrypted stores")."""

    def __init__(self, key_file: str, encryption: bytes, keys_db, txn):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        master = bytes.fromhex(open(key_file).read().strip())
        assert encryption[0] == 1 and len(encryption) == 49, "unknown encryption record"
        salt, check = encryption[1:17], encryption[17:]
        expected = hmac.new(master, salt + b"journeystore/key-check", hashlib.sha256).digest()
        if not hmac.compare_digest(expected, check):
            sys.exit("not the key of this store")

        def derive(label: bytes) -> bytes:
            return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=label).derive(master)

        self.aesgcm = AESGCM
        self.store_key = derive(b"journeystore/store-key")
        self.wrap_key = derive(b"journeystore/wrap-key")
        self.keys_db, self.txn = keys_db, txn
        self.data_keys = {}
        self.groups = {}

    def data_key(self, participant: bytes):
        if participant not in self.data_keys:
            wrapped = self.txn.get(participant, db=self.keys_db)
            assert wrapped is not None, f"no data key for {participant!r}"
            if len(wrapped) == 0:
                self.data_keys[participant] = None  # forgotten
            else:
                context = b"journeystore/data-key\x00" + participant
                self.data_keys[participant] = self.aesgcm(self.wrap_key).decrypt(wrapped[:12], wrapped[12:], context)
        return self.data_keys[participant]

    def open(self, seq: int, record: bytes, get_record):
        """The JSON of a version 2 record, or None if its participant was forgotten. Content is
        sealed per group: the group's first record holds nonce || ciphertext || tag of its
        events' JSON, concatenated; every record says where its JSON is in that plaintext."""
        at = 48
        at += 1 + record[at]  # id
        participant_length = record[at]
        participant = record[at + 1:at + 1 + participant_length]
        at += 1 + participant_length
        group_seq, offset, length = struct.unpack(">QII", record[at:at + 16])
        slot = record[2]
        key = self.store_key if slot == 2 else self.data_key(participant)
        if key is None:
            return None
        if group_seq not in self.groups:
            head = record if group_seq == seq else get_record(group_seq)
            sealed = head[self._sealed_start(head):]
            aad = b"journeystore/group\x00" + struct.pack(">Q", group_seq) + bytes([slot]) + participant
            if len(self.groups) > 10000:
                self.groups = {}
            self.groups[group_seq] = self.aesgcm(key).decrypt(sealed[:12], sealed[12:], aad)
        return self.groups[group_seq][offset:offset + length]

    @staticmethod
    def _sealed_start(record: bytes) -> int:
        at = 48
        at += 1 + record[at]
        at += 1 + record[at]
        return at + 16


def rfc3339(micros: int) -> str:
    seconds, fraction = divmod(micros, 1_000_000)
    t = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % fraction


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--participant")
    parser.add_argument("--upto", type=int)
    parser.add_argument("--key-file")
    args = parser.parse_args()

    env = lmdb.open(args.store, readonly=True, lock=True, max_dbs=112, subdir=True)
    events = env.open_db(b"events", create=False)
    participants = env.open_db(b"participants", create=False)
    meta = env.open_db(b"meta", create=False)
    out = sys.stdout.buffer
    with env.begin() as txn:
        fmt = txn.get(b"format", db=meta)
        if fmt not in (b"journeystore/1", b"journeystore/2"):
            sys.exit("not a journeystore/1 or journeystore/2 store")
        encryption = txn.get(b"encryption", db=meta)
        sealing = None
        if encryption is not None:
            if args.key_file is None:
                sys.exit("the store is encrypted: pass --key-file")
            sealing = Sealing(args.key_file, encryption, env.open_db(b"keys", txn=txn, create=False), txn)
        head = txn.get(b"head", db=meta)
        head_seq = struct.unpack(">Q", head[:8])[0]
        last = head_seq if args.upto is None else min(args.upto, head_seq)

        if args.participant is not None:
            # The participant index in generations (STORAGE.md, "Index generations"): without
            # the record, one generation - the unprefixed `participants` database.
            listed = txn.get(b"index-generations", db=meta)
            numbers = [0] if listed is None else [struct.unpack(">I", listed[i:i + 4])[0] for i in range(0, len(listed), 12)]
            seqs = []
            for n in numbers:
                db = participants if n == 0 else env.open_db(b"participants.%d" % n, txn=txn, create=False)
                prefix = args.participant.encode() + b"\x00"
                cursor = txn.cursor(db=db)
                if cursor.set_range(prefix):
                    for key in cursor.iternext(values=False):
                        if not key.startswith(prefix) or len(key) != len(prefix) + 8:
                            break
                        seqs.append(struct.unpack(">Q", key[len(prefix):])[0])
            wanted = set(s for s in seqs if s <= last)
        else:
            wanted = None

        previous = bytes(32)
        cursor = txn.cursor(db=events)
        expected = 1
        for key, value in cursor:
            seq = struct.unpack(">Q", key)[0]
            if seq > head_seq:
                break  # staged by an import that has not committed
            assert seq == expected, f"gap before seq {seq}"
            expected += 1
            version, type_code = value[0], value[1]
            assert version == 1 or (version == 2 and sealing), f"record {seq}: unknown version {version}"
            appended = struct.unpack(">q", value[8:16])[0]
            stored_hash = value[16:48]
            h = hashlib.sha256(previous + key + value[:16] + value[48:]).digest()
            assert h == stored_hash, f"record {seq}: hash mismatch"
            previous = h
            if seq > last:
                continue
            if wanted is not None and seq not in wanted:
                continue
            if version == 1:
                json_bytes = bytes(value[48:])
            else:
                json_bytes = sealing.open(seq, bytes(value), lambda s: bytes(txn.get(struct.pack(">Q", s), db=events)))
                if json_bytes is None:
                    continue
            out.write(json_bytes[:-1])
            out.write(b',"seq":%d,"appended":"%s","hash":"%s"}\n' % (seq, rfc3339(appended).encode(), h.hex().encode()))
        if args.upto is None and args.participant is None:
            assert previous == head[8:40], "head hash does not match the last event"
    return 0


if __name__ == "__main__":
    sys.exit(main())
