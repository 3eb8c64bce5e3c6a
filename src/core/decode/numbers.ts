/**
 * The numbers every layer names the next one by: link types (LINKTYPE_*, as in pcap/pcapng
 * headers), EtherTypes and the header sizes of the link layers. One definition each: decoders,
 * printers, writers and the text synthesizer import them from here (or through decode/link.ts).
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** A PPP frame (address/control optional): what PPTP's GRE version 1 carries. */
export const LINKTYPE_PPP = 9;
/** DLT_RAW as some systems number it; libpcap maps both to LINKTYPE_RAW. */
export const DLT_RAW_12 = 12;
export const DLT_RAW_14 = 14;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
/** A bare MPLS label stack (what GRE proto 0x8847 carries). */
export const LINKTYPE_MPLS = 219;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export const ETHERTYPE_IP = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_REVARP = 0x8035;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_PPPOES = 0x8864;
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MULTI = 0x8848;
/** Transparent Ethernet Bridging: an Ethernet frame inside GRE. */
export const ETHERTYPE_TEB = 0x6558;
/** PPP, as GRE version 1 (PPTP, RFC 2637) names its payload. */
export const ETHERTYPE_PPP = 0x880b;
export const ETHERTYPE_8021Q = 0x8100;
export const ETHERTYPE_8021QINQ = 0x88a8;
export const ETHERTYPE_8021Q9100 = 0x9100;
export const ETHERTYPE_8021Q9200 = 0x9200;
/** Type/length values up to this are 802.3 lengths, not EtherTypes. */
export const MAX_ETHERNET_LENGTH_VAL = 1500;

export const ETHER_HDRLEN = 14;
export const NULL_HDRLEN = 4;
export const SLL_HDRLEN = 16;
export const SLL2_HDRLEN = 20;
