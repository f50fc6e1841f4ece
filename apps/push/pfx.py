"""The key-derivation cost a PKCS#12 (.p12) file asks for, read from its DER before any derivation runs.

OpenSSL derives the MAC key and every bag's decryption key with the iteration counts written in the file, so
an uploaded file could make one request spend seconds of CPU. ``derivation_rounds`` walks the ASN.1 structure
(a minimal DER/BER reader: no decryption, bounded depth and element count) and returns every iteration count
it finds: the MacData ``iterations``, PBKDF2 parameters (PBES2 and PBMAC1) and the PKCS#12 / PKCS#5 v1 PBE
parameters. scrypt parameters are reported as unbounded, since their cost is memory as well as time.
"""

from dataclasses import dataclass

MAX_DEPTH = 32
MAX_ELEMENTS = 20000

SEQUENCE, OCTET_STRING, INTEGER, OID = 0x30, 0x04, 0x02, 0x06
CONSTRUCTED_OCTET_STRING = 0x24

PBKDF2 = "1.2.840.113549.1.5.12"
SCRYPT = "1.3.6.1.4.1.11591.4.11"
# Parameters SEQUENCE { salt OCTET STRING, iterations INTEGER }: PKCS#12 PBE and PKCS#5 v1.5 PBES1.
SALT_AND_ITERATIONS = {
    *(f"1.2.840.113549.1.12.1.{n}" for n in range(1, 7)),
    *(f"1.2.840.113549.1.5.{n}" for n in (1, 3, 4, 6, 10, 11)),
}
UNBOUNDED = 2**63


class NotDer(ValueError):
    """The bytes are not a readable DER/BER structure."""


@dataclass
class Element:
    tag: int
    content: bytes  # primitive: its bytes; constructed: the encoded children
    children: list["Element"] | None


class _Reader:
    def __init__(self):
        self.elements = 0

    def read_all(self, data: bytes, depth: int) -> list[Element]:
        elements, position = [], 0
        while position < len(data):
            element, position = self.read_one(data, position, depth)
            if element is None:
                raise NotDer("end-of-contents outside an indefinite length")
            elements.append(element)
        return elements

    def read_one(self, data: bytes, position: int, depth: int) -> tuple[Element | None, int]:
        if depth > MAX_DEPTH:
            raise NotDer("nested too deep")
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise NotDer("too many elements")
        if position + 2 > len(data):
            raise NotDer("truncated")
        tag, first = data[position], data[position + 1]
        if tag & 0x1F == 0x1F:
            raise NotDer("high tag numbers are not used in PKCS#12")
        position += 2
        if tag == 0 and first == 0:
            return None, position  # end-of-contents
        constructed = bool(tag & 0x20)
        if first == 0x80:  # BER indefinite length: children until end-of-contents
            if not constructed:
                raise NotDer("indefinite length on a primitive")
            children, start = [], position
            while True:
                child, position = self.read_one(data, position, depth + 1)
                if child is None:
                    break
                children.append(child)
            return Element(tag, data[start:position - 2], children), position
        if first & 0x80:
            count = first & 0x7F
            if count == 0 or count > 4 or position + count > len(data):
                raise NotDer("bad length")
            length = int.from_bytes(data[position:position + count], "big")
            position += count
        else:
            length = first
        end = position + length
        if end > len(data):
            raise NotDer("truncated")
        content = data[position:end]
        children = self.read_all(content, depth + 1) if constructed else None
        return Element(tag, content, children), end

    def octets(self, element: Element) -> bytes:
        """An OCTET STRING's value, joining the segments of a constructed (BER) one."""
        if element.children is None:
            return element.content
        return b"".join(self.octets(child) for child in element.children)


def _oid(content: bytes) -> str:
    if not content:
        return ""
    first = content[0]
    arcs = [min(first // 40, 2), first - 40 * min(first // 40, 2)] if first < 0x80 else [0]
    value = 0
    for byte in content[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    return ".".join(map(str, arcs))


def _integer(element: Element) -> int:
    if element.tag != INTEGER or element.children is not None or not element.content:
        raise NotDer("not an INTEGER")
    return int.from_bytes(element.content, "big", signed=True)


def _params_iterations(params: Element, index: int) -> int | None:
    children = params.children or []
    if params.tag != SEQUENCE or len(children) <= index:
        return None
    return _integer(children[index])


def derivation_rounds(data: bytes) -> list[int]:
    """Every key-derivation iteration count in the PKCS#12 file (UNBOUNDED for scrypt). NotDer when the
    bytes are not a PFX structure this reader can walk."""
    reader = _Reader()
    root, end = reader.read_one(data, 0, 0)
    if root is None or root.tag != SEQUENCE or not root.children or len(root.children) < 2:
        raise NotDer("not a PFX")
    version = root.children[0]
    if version.tag != INTEGER or _integer(version) != 3:
        raise NotDer("not a PFX version 3")
    rounds: list[int] = []
    if len(root.children) >= 3:  # MacData { mac DigestInfo, macSalt, iterations INTEGER DEFAULT 1 }
        mac_data = root.children[2].children or []
        if len(mac_data) >= 3 and mac_data[2].tag == INTEGER:
            rounds.append(_integer(mac_data[2]))
        elif len(mac_data) == 2:
            rounds.append(1)

    def walk(element: Element, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise NotDer("nested too deep")
        children = element.children
        if children is None:
            if element.tag == OCTET_STRING and element.content[:1] == b"\x30":
                try:
                    inner = reader.read_all(element.content, depth + 1)
                except NotDer:
                    return  # ciphertext or a salt, not an encapsulated structure
                for child in inner:
                    walk(child, depth + 1)
            return
        if element.tag == CONSTRUCTED_OCTET_STRING:
            walk(Element(OCTET_STRING, reader.octets(element), None), depth + 1)
            return
        if element.tag == SEQUENCE and len(children) >= 2 and children[0].tag == OID:
            algorithm = _oid(children[0].content)
            if algorithm == PBKDF2:
                found = _params_iterations(children[1], 1)
                rounds.append(1 if found is None else found)
            elif algorithm == SCRYPT:
                rounds.append(UNBOUNDED)
            elif algorithm in SALT_AND_ITERATIONS:
                found = _params_iterations(children[1], 1)
                rounds.append(1 if found is None else found)
        for child in children:
            walk(child, depth + 1)

    walk(root.children[1], 1)
    if len(root.children) >= 3:
        walk(root.children[2], 1)  # PBMAC1 keeps its PBKDF2 parameters in the MAC algorithm
    return rounds
