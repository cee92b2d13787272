import { BitmapLayer } from '@deck.gl/layers';

/**
 * The basemap snapshot's fragment shader: one texture read. BitmapLayer's own shader also carries
 * branches for reprojection (atan, exp, log, tan), desaturation, tint and a transparent colour. On a
 * GPU the untaken branches cost nothing; in software GL (SwiftShader) every branch runs for every
 * pixel, and on a two-core machine that made one full-map bitmap cost ~300 ms a frame. The snapshot is
 * already in the view's projection (Web Mercator, the mesh maps it linearly) and needs none of them.
 */
const FS = /* glsl */ `\
#version 300 es
#define SHADER_NAME basemap-snapshot-fragment-shader
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
 * A BitmapLayer for an image already in the viewport's projection, drawn 1:1 and opaque. No picking or
 * extension hooks (they are per-pixel branches too): the basemap is never picked or filtered.
 */
export class BasemapLayer extends BitmapLayer {
  static override layerName = 'BasemapLayer';

  override getShaders() {
    return { ...super.getShaders(), fs: FS };
  }
}
