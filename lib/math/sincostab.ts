/*! tfjs-lr-scheduler lib/math/sincostab: glibc's sincostab.c (IBM Accurate Mathematical Library), Copyright (C) 2001-2022 Free Software Foundation, Inc.; LGPL-2.1-or-later */
/**
 * `__sincostab` of glibc's IBM Accurate Mathematical Library (sysdeps/ieee754/dbl-64/sincostab.c,
 * identical in glibc 2.29 to 2.42): for i = 0 .. 109, entries 4i .. 4i+3 are sin(i/128) and cos(i/128)
 * each as a sum of two doubles (high, low): sn, ssn, cs, ccs. Stored here as the base64 of the 440
 * doubles' IEEE bits, little-endian, in glibc's order; spec/math/sincostab.spec.ts checks them
 * against the values in glibc's source.
 *
 * IBM Accurate Mathematical Library
 * Copyright (C) 2001-2022 Free Software Foundation, Inc.
 *
 * This table is free software; you can redistribute it and/or modify it under the terms of the GNU
 * Lesser General Public License as published by the Free Software Foundation; either version 2.1 of
 * the License, or (at your option) any later version. It is distributed in the hope that it will be
 * useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS
 * FOR A PARTICULAR PURPOSE. See the GNU Lesser General Public License for more details
 * (<https://www.gnu.org/licenses/>).
 */

const SINCOSTAB_BASE64 =
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAPA/AAAAAAAAAADv7q6q6v9/P3y3Z+ziRR68UlUVAMD/7z+ubRmgAUqPPNXu7qqq/48/dwefmmOrAryfVFUBAP/vP/NeOqAoioI8VTIDAXD/lz82c1JRK/7+O+b3vwbA/e8/vXdp6Nrmijxv6O6uqv6fP+JKIvsG1Dy80ydVFQD87z9bm9iSRLWDvNVFLbGy/qM/ERw9IFTsNDy6pxQ0wPnvP79ZbL70kWk8qfsyEMD9pz96mW70vZlFvJ/5/WsA9+8/X41kYLWzeLysbVh4bfyrPzby2wP95Bg8MToQyMDz7z9mDty9bYV0PNtO7e6q+q8/aUtoMm3RQrzT9ElVAfDvP29CmXs4KIM874uAPTT8sT9PvvPmMj1fvJ/vqCLC6+8/d0z1NEmTVzxbddESy/qzP4xGmVKRIVm8b+8pQQPn7z+Xb8k3Q79svDe3EP0R+bU/ApG+Ak8YULzrc8jDxOHvPwJKfAXJqTW85FAlAwH3tz8aUAAYLfw6PJtrfr8G3O8/2/g1tQIZgzz50VUtkPS5P8EdrH5taVI8AOBDS8nV7z/5kk/LaOdivB05aIW38bs/yEzqHYSRXjyxmQ6ADM/vP6yG0YbXo2485szBFm/uvT9zFrcvjg9FvIi80XjQx+8/hbZ9RNJ1gDw27oburuq/Pzvwxryy/Eq801t9UhXA7z+475RQ82iLPNFx3Y0388A/ng9PcmiEbTyVBv4r27fvP7Fa9vStHYI8r86v19PwwT+laZcJle9mvNNLPCYir+8/aSc6E84qVbyPuEpeKO7CP1jg3gUPTW688jYcZOql7z98zBftpk1APMtmXSwx68M/kctma2Z9ZDwoxHwKNJzvP2J0OwZrW4w8e/LFTernxD/8csAq20lZPAFNN0D/ke8/TJ46TT/QZ7zzJqHPT+TFP7aJPwZD9Ga89uweLkyH7z8WKzPhFGWMvExNWsBd4MY/QMmBi1ws07sk3v/+GnzvP7FAdcRb9Xi8tfK6LxDcxz/DlzziUKtFPBzOnt9rcO8/tNw2DMiYhrxEqfouY9fIP1O5y2KiD2K8zSq4/j5k7z+sKP7BCrB2PBLDztBS0sk/fROxgD3EWTyXZ/+MlFfvP9WxAz4NOm48ZQd6KdvMyj/rzdZXO4hZvHk6Hr1sSu8/V7uu7fA9gTyZYdxO+MbLP6sMe2qlwWk8btGzw8c87z+UNIrSOhpivKOJglimwMw/a3zIm9BoaLzt/1PXpS7vP4PVVl8hxIw80KW1X+G5zT/Cb8zWIC5jvJ9khjAHIO8/S5jBFgSUezyj5Yp/pbLOP+ssV68GvmC8O4fFCewQ7z+DEix2cpCNPHcV89Tuqs8/uDKOUIhdYbyh7n2fVAHvP/3K5ZkePI08XBVlv1xR0D/Ijv2dwrh5vCYvDTBB8e4/ctPeCBuqgrw2ZPPOAM3QP7XikwwK+3m8HPHA+7Hg7j+xw7uAI/1LvOvdlKphSNE/pBW2tYHoa7yh79VEp8/uP9BB9UoKbVW8drjGZH3D0T/1zw3+dmB0PKjvdk8hvu4/PlS6Ep8vgLw2rxoRUj7SPxj/TjOA8HS8T6+7YSCs7j+NZZQ+1cFiPJ+0PsTduNI/B9jymThVYTyDzafDpJnuP+g8xRtLJoK8h58ElB4z0z8sMAy0tgx+PO2pKb+uhu4/p1i7/Xo5iTzY02mXEq3TP5iDhwRVPQA8QD0ZoD5z7j8TzkY1i0KGvJfmnua3JtQ/n8UFV8cJf7zQ6Ta0VF/uP7zIL9AP64c8ID0Pmwyg1D+tjrBruiN4PJxEKkvxSu4/M2iKLqCMhrx6p2jPDhnVP/Pw7lVxNXs8pdaAthQ27j83UgGqk3dyvJf1op+8kdU/y+A/rEvHZzzB1qxJvyDuP2xj78euYFa8dYcHKRQK1j8zkagL2B9bPM7bA1rxCu4/5hp3AufoXzz31ziKE4LWP61KRAKSiH28Xoe9Pqv07T/ENmd+ii2OvFUCOuO4+dY/DdrpTsErdDzWKPJQ7d3tP7+iK9TIgG68FEJ2VQJx1z/Otksx1+pmvBJZmeu3xu0/Nc1td2SzVDxObcgD7ufXP/Jav9q8Y3u8g46Iawuv7T/qXF4rniSKPElpghJ6Xtg/4Kxfmw6keDzcqXEv6JbtP50D0tUb9o88L5l0p6TU2D8mY3bqAkp0PEp74ZdOfu0/lO0rNXC3Y7zFRvXpa0rZP1g/aD7hnHa8QEA+Bz9l7T837EtDNmKHvBAF6ALOv9k/pLAgozmecDzgGcbhuUvtP2GPhXe7NI88ygzFHMk02j/NzlA7DjFavAZ8jY2/Me0/3cuJMN1gfjx3kqBjW6naP4EDPLE+KWa88JR9clAX7T+OpMEeK9WAPBcWMgWDHds/GfWZy0LieryfrVL6bPzsPw0qj1C1tYg8Q6zbMD6R2z/xP2wvrTh+vOWCmpAV4ew/mhAxuznxgTyjQLEXiwTcP6effnXmn2E8LpeyokrF7D+YOqgrFu5kPJ7Rf+xnd9w/Jlg9Gk2xXrwLfcafDKnsP2I0XkiBamS8H6XU49Lp3D+Y4toSivxivIQazvhbjOw/IwFZodGzejxhdgQ0ylvdP5zCX6dEinI8O+WLIDlv7D9C26r720GHvJqcMhVMzd0/mv1x4cbUcDxeF4uLpFHsP4Comju0u2G8aSpYwVY+3j+P+JkQgqRQvIHdHbCeM+w/wMWC7vWqjLzwBUt06K7eP30Cmzy0iVe8UH1bBigV7D8o6BITEZKIvHv5xGv/Ht8/XFKn+BJycTw2dR4IQfbrP6GpKBbXe4s8l7xq55mO3z+jAC2vUNlZPPWUAjHq1us/nRCMyLwbczx69dIotv3fP2pbkC6ZSm88Mg9j/iO36z85Ci1F0it3PFWZxjkpNuA/AXs5eM3YgrwOhFjv7pbrP+Ctj8c8WlQ8W26UhjZt4D8b/zhFrvWDPMIEt4RLdus/mzgbwkhYj7wBEJ4eAqTgP/YUOaFD9oa8ThAMQTpV6z8WegJHef9YPC5ntSaL2uA/Cem+8N5YirxIiZyouzPrP6lsHx2lpo48O5y2xNAQ4T+BmYCYiZGNPMakYkHQEes/wsD7HlbdcTyCf4sf0kbhP6g5J15T+Xs8ddILk3jv6j+Ub3R5YoN/vLDtLl+OfOE/iCQuEFdeYzzlnfYmtczqP8y21o1q+4g83S+wrASy4T//tctwDBlfvBOJMIiGqeo/cFDNB9aDC7xMVzYyNOfhP1od9KQ/KnI8LeBzQ+2F6j+Sx144Br5pPM+UAxscHOI/MaojSzJbXjyvhiXn6WHqPz9F/eIwg4U8u4t4k7tQ4j/OvFck0KN+PM+9UgN9Peo/aZah7LqNhrxnoBfJEYXiP3BrodnxHYC8ReSuKacY6j9YA2xzJV45PB5CiOodueI/sGoh23Gjj7yFL5HtaPPpPwYWecUA0oG8gjCaJ9/s4j9+4+fgVzWNPFxe8uPCzek/Yj+ZEpH5gzxPvEixVCDjP1sTWglCa488FGVqo7Wn6T+pp5/MzyKHPGcDvrl9U+M/8EDwen4yazwQEy7EQYHpP43wiAT4H408KyhWdFmG4z+oBzuprQ9xvP2xDOBnWuk/LYYfov2+gLwKhKIV57jjP3vw0qdTdnm8kp5tkigz6T/aDGADcLeLvDrVbNMl6+M/wA9X4XDlW7z32k14hAvpP4c7uQqx/nC8kGe65BQd5D/17IfSj2CEPNGaPTB84+g/+Es9taRjZLxrOM+Bs07kPwVVah5s7YO8AMldWhC76D/BdJQ+4GOIPJ8VMeQAgOQ/EO1jdEoZi7wfh12YQZLoP4TtE8TZSIw8YbeqRvyw5D+axYxzBdogPMamd40Qaeg/3em/4v84czwb1U7lpOHkP2rHt4kvSYq8oBxw3n0/6D/oxptgz1JBvBw1e/35EeU/MYjEYejAhbxdbZExihXoP94oggu56G28JLfbzfpB5T+R0yCFwjJyPIgUqi426+c/n5WlpGUdWjyzWW2WpnHlP5ixD007hFw8T+UJf4LA5z9o7irX1nNsvBI6gZj8oOU/eyLUt+KCjbxDZX/Nb5XnP+Ra1Ol2soq8DY+/FvzP5T+KV+tws2yJPB8hVcb+aec/xWiMz9UnaLxXnipVpP7lP7cg7vfOtoA8oftOFzA+5z9frZQ9rtNlvHmsIZn0LOY/GiS2VZjdjrx4dqdvBBLnP4GcAqWwJYQ8VedjKexa5j88BXFr+SaBPF71DIB85eY/ptDb3oYChjwvSxNOiojmP+bVRHbTt4a8Xfue+pi45j+y9MyGx1pxPBqCt1DOteY/Dy5wjxXVZbxTYuuSWovmP5z4hdkaqYm84b1AfLfi5j9TrX+FKedwvLqM6/3BXeY/d3wzRxt8WbxAjAodRQ/nPw13hTjefmk8x5EB8s8v5j/vVleJQ5FtPHil3oB2O+c/ohLcBoMkcrzfY/UmhQHmP9Ay5OClbIQ8JLX39kpn5z+ohKyUP51+PHrx8VXi0uU/K4nIBEExgDxSHQTQwZLnP+tUs+4Fv4q8d0CCOeij5T9ivlknqiiEPMKzKF7avec/kwPNfBnRSjzyg46Nl3TlPyMtKK8UR488WXkD9ZPo5z9MDGWq++6APKUsWQ/xROU/L6bH5uh6jrykS67p7RLoP9otQN8Kg4e82vN7ffUU5T9ZwnOAEHp0PA==';

function decode(base64: string): Float64Array {
  const bytes = atob(base64);
  const view = new DataView(new ArrayBuffer(bytes.length));
  for (let i = 0; i < bytes.length; i++) view.setUint8(i, bytes.charCodeAt(i));
  const table = new Float64Array(bytes.length / 8);
  for (let i = 0; i < table.length; i++) table[i] = view.getFloat64(8 * i, true);
  return table;
}

/** glibc's `__sincostab.x`: 440 doubles, sn, ssn, cs, ccs for each i/128, i = 0 .. 109. */
export const SINCOSTAB: Float64Array = /* @__PURE__ */ decode(SINCOSTAB_BASE64);
