import { BitmapLayer } from '@deck.gl/layers';

/**
 * A bitmap's fragment shader reduced to one texture read. BitmapLayer's own shader also carries
 * branches for reprojection (atan, exp, log, tan), desaturation, tint and a transparent colour. On a
 * GPU the untaken branches cost nothing; in software GL (SwiftShader) every branch runs for every
 * pixel, and on a two-core machine that made one full-map bitmap cost ~300 ms a frame. Our images
 * (the basemap snapshot, the risk grid) need none of them: mapped linearly between their corners in
 * Web Mercator, they are off by at most 0.1 % of the grid's height at DC's latitude.
 */
const FS = /* glsl */ `\
#version 300 es
#define SHADER_NAME plain-bitmap-fragment-shader
precision highp float;

uniform sampler2D bitmapTexture;

in vec2 vTexCoord;
in vec2 vTexPos;

out vec4 fragColor;

void main(void) {
  fragColor = texture(bitmapTexture, vTexCoord);
}
`;

/**
 * A BitmapLayer without reprojection, colour effects, picking or extension hooks (all per-pixel
 * branches in software GL): for images that are never picked or filtered.
 */
export class PlainBitmapLayer extends BitmapLayer {
  static override layerName = 'PlainBitmapLayer';

  override getShaders() {
    return { ...super.getShaders(), fs: FS };
  }
}
